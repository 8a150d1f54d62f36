"""A decision-maker whose link a new version (or the agreement's end) withdraws is
told so, why, and what comes next: once, in their language."""

from __future__ import annotations

from django.test import Client

from notifications.services import outbox_relay
from tests.workflows.test_declared_edges import _revised
from tests.workflows.test_links import link_to
from workflows.models.trail import Channel
from workflows.services.drafting import version_submit

HOLDERS = [
    '"Johan Svahnberg" <johan@hoor.test>',
    '"Nils Nämnd" <nils@hoor.test>',
    '"Veronica Ek" <veronica@polisen.test>',
]


def submit_new_version(agreement, people, capture):
    with capture(execute=True):
        return version_submit(
            agreement_id=agreement.pk,
            author=people.samordnare,
            content=_revised("Ny text efter förslaget."),
            change_note="Ändrat",
            seen_latest=1,
            parent_number=1,
            channel=Channel.LOGIN,
        )


def test_a_new_version_tells_every_link_holder_that_their_link_is_withdrawn(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    old_link = link_to(mailoutbox, people.lpo_chief)
    outbox_relay()
    mailoutbox.clear()
    submit_new_version(proposed, people, django_capture_on_commit_callbacks)
    withdrawn = [m for m in mailoutbox if m.subject.startswith("Länken gäller inte längre")]
    assert sorted(m.to[0] for m in withdrawn) == HOLDERS
    mail = next(m for m in withdrawn if "veronica" in m.to[0])
    assert mail.subject == f"Länken gäller inte längre, inget att göra nu: {proposed.title}"
    assert "Du behöver inte göra något nu." in mail.body
    assert "version 2, har lämnats in" in mail.body
    assert "får du en ny länk" in mail.body
    # The old link now says it was withdrawn, and changes nothing.
    page = Client().get(old_link, follow=True)
    assert page.status_code == 410
    assert "Texten har ändrats sedan länken skickades; version 2 gäller nu." in (
        page.content.decode()
    )


def test_a_retried_cancellation_tells_nobody_twice(
    proposed, people, mailoutbox, django_capture_on_commit_callbacks
):
    from workflows.services import notify, rounds

    held = rounds.links_held(proposed)
    assert len(held) == 3
    with django_capture_on_commit_callbacks(execute=True):
        notify.links_withdrawn(proposed, held, rounds.Withdrawn.ENDED, None)
        notify.links_withdrawn(proposed, held, rounds.Withdrawn.ENDED, None)
    withdrawn = [m for m in mailoutbox if m.subject.startswith("Länken gäller inte längre")]
    assert sorted(m.to[0] for m in withdrawn) == HOLDERS
    assert all("överenskommelsen har upphört att gälla" in m.body for m in withdrawn)


def test_a_quashed_decision_tells_the_signatories_their_links_are_withdrawn(
    signed_off, people, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.workflows.conftest import appeal, record_step

    record_step(signed_off, people.sekreterare, "anslag")
    appeal(signed_off, people.sekreterare)
    outbox_relay()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record_step(
            signed_off,
            people.sekreterare,
            "appeal_decided",
            names="Förvaltningsrätten i Malmö",
            appeal_outcome="upphavt",
        )
    withdrawn = [m for m in mailoutbox if m.subject.startswith("Länken gäller inte längre")]
    assert sorted(m.to[0] for m in withdrawn) == [
        '"Johan Svahnberg" <johan@hoor.test>',
        '"Veronica Ek" <veronica@polisen.test>',
    ]
    assert all("kommunens beslut har upphävts" in m.body for m in withdrawn)
    assert all("underskrift om" in m.body for m in withdrawn)

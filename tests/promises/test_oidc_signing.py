"""Medborgarlöften are signed through the same identity provider as agreements
(issue 14): the promise page sends the signatory there and back before it signs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from promises.models import PromiseAnswer
from tests.oidc import LOA3, at_provider, bind
from tests.promises.conftest import links_to
from tests.promises.test_links import open_link, post_form

pytestmark = [pytest.mark.real_clock]


def test_the_ks_ordforande_signs_the_promises_after_identifying_with_e_id(
    oidc,
    proposed_set,
    people,
    mailoutbox,  # noqa: F811
):
    bind(people.ks_chair, "chair-1", oidc)
    chair = Client()
    page, confirm_url = open_link(chair, links_to(mailoutbox, people.ks_chair)[0])
    fields = {"answer": "signed", "place": "Höör", "signed_on": timezone.localdate().isoformat()}
    started = post_form(chair, confirm_url, page, **fields)
    assert started.status_code == 302 and started["Location"].startswith(oidc)
    assert not PromiseAnswer.objects.exists()
    back = chair.get(at_provider(oidc, started["Location"], {"sub": "chair-1", "acr": LOA3}))
    assert back.status_code == 302
    page = chair.get(confirm_url)
    assert "Du är identifierad som Johan Svahnberg" in page.content.decode()
    done = post_form(chair, confirm_url, page, **fields)
    assert done.status_code == 302
    answer = PromiseAnswer.objects.get()
    assert (answer.identified_by, answer.identity_acr, answer.identity_subject) == (
        "e_id",
        LOA3,
        "sub:chair-1",
    )

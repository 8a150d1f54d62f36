"""The demo's agreement in force: Höör's next period, decided and signed, three
follow-up reports, and a revision the last report recommended.

Everything goes through the real services, as people would do it, so the demo
trail verifies like any other. Running it again finds the agreement and stops.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from .followup_rules import items_from
from .models import Agreement, Person
from .models.trail import Channel
from .services import followups, identity, rounds
from .services.corrections import correction_record
from .services.decision_steps import justering_record
from .services.decisions import DecisionInput, decision_record, signature_add
from .services.drafting import agreement_create, version_approve


def period() -> tuple[datetime.date, datetime.date]:
    """From the first of January last year to the last of December next year: in force
    whenever the demo is loaded, with reports already due."""
    year = timezone.localdate().year
    return datetime.date(year - 1, 1, 1), datetime.date(year + 1, 12, 31)


def title() -> str:
    start, end = period()
    return (
        "Operativ samverkansöverenskommelse mellan Höörs kommun och Lokalpolisområde Eslöv "
        f"{start.year}–{end.year}"
    )


C = Channel.COMMAND


def _person(email: str) -> Person:
    return Person.objects.get(email=email)


def _task(agreement: Agreement, kind: str):
    return next(t for t in rounds.open_tasks(agreement) if t.flow_task.name == kind)


def load(*, stdout) -> Agreement:
    existing = Agreement.objects.filter(title=title()).first()
    if existing is not None:
        stdout.write(f"Fanns redan: #{existing.pk} {title()}")
        return existing
    source = Agreement.objects.filter(kommun__name="Höörs kommun", kind="operational").first()
    samordnare = _person("sara.bergstrom@hoor.demo.test")
    polis = _person("karin.lindqvist@polisen.demo.test")
    agreement = agreement_create(
        kommun=source.kommun,
        lokalpolisomrade=source.lokalpolisomrade,
        kind="operational",
        title=title(),
        period_start=period()[0],
        period_end=period()[1],
        follow_up_cadence="half_yearly",
        content=source.latest_version().content,
        author=samordnare,
        channel=C,
        change_note="Nästa period med samma områden.",
        # The demo keeps the public example of 2023–2024 as a draft beside it.
        duplicate_reason="Demodata: utkastet från det offentliga exemplet ligger kvar bredvid.",
    )
    version = agreement.latest_version()
    for drafter in (samordnare, polis):
        version_approve(version_id=version.pk, person=drafter, channel=C)
    _decide_and_sign(agreement, version)
    _correct(agreement)
    _follow_up(agreement, samordnare)
    agreement.refresh_from_db()
    stdout.write(f"Skapade: #{agreement.pk} {title()} ({agreement.get_state_display()})")
    return agreement


def _decide_and_sign(agreement: Agreement, version) -> None:
    """Decided and signed today: the decision dates may not precede the proposal."""
    lpo_chef = _person("anders.wikstrom@polisen.demo.test")
    today = timezone.localdate()
    for kind, person, fields in (
        (
            "municipal_decision",
            _person("maria.sjoberg@hoor.demo.test"),
            DecisionInput("bifall", today, paragraph="212", diarienummer="KS 2024/311"),
        ),
        (
            "police_decision",
            lpo_chef,
            DecisionInput(
                "bifall",
                today,
                diarienummer="A 2024/5521",
                decided_by="Anders Wikström, lokalpolisområdeschef",
                presenter="Karin Lindqvist",
            ),
        ),
    ):
        decision_record(
            task_id=_task(agreement, kind).pk,
            person=person,
            version_hash=version.content_hash,
            fields=fields,
            channel=C,
        )
        if kind == "municipal_decision":
            justering_record(
                task_id=_task(agreement, "municipal_protocol").pk,
                person=person,
                version_hash=version.content_hash,
                justerad_on=today,
                justerare="Per Axelsson, Lena Holm",
                anslag_on=today,
                anslag_url="",
                channel=C,
            )
    for kind, person, place in (
        ("ks_signature", _person("per.axelsson@hoor.demo.test"), "Höör"),
        ("lpo_signature", lpo_chef, "Eslöv"),
    ):
        signature_add(
            task_id=_task(agreement, kind).pk,
            person=person,
            version_hash=version.content_hash,
            place=place,
            signed_on=today,
            channel=C,
            identification=identity.by_command(person),
        )


def _correct(agreement: Agreement) -> None:
    """A rättelse: the § was typed wrong when the decision was recorded."""
    decision = agreement.decisions.get(track="municipal")
    correction_record(
        agreement_id=agreement.pk,
        kind="decision",
        record_id=decision.pk,
        field="paragraph",
        value="213",
        reason="Protokollet anger § 213; § 212 skrevs in av misstag.",
        person=_person("maria.sjoberg@hoor.demo.test"),
        channel=C,
    )


def _follow_up(agreement: Agreement, author: Person) -> None:
    """Every report due so far (at most three); the last recommends a revision."""
    agreement.refresh_from_db()
    today = timezone.localdate()
    due = [d.due for d in followups.schedule_of(agreement) if d.due <= today][:3]
    report = None
    for number, day in enumerate(due, start=1):
        last = number == len(due)
        keys = [item["key"] for item in items_from(agreement.version_in_force.content, {})]
        data = followups.ReportInput(
            entries={key: {"status": "enligt_plan", "comment": "Arbetet pågår."} for key in keys},
            analysis="Insatserna genomförs enligt plan; buskörningen har minskat i centrum.",
            recommendations="Lägg till trygghet kring stationsområdet." if last else "",
            recommend_revision=last,
        )
        report = followups.report_submit(
            agreement_id=agreement.pk,
            due_date=day,
            person=author,
            data=data,
            seen_edits=0,
            channel=C,
        )
    if report is not None and report.recommend_revision:
        followups.revision_from_report(report_id=report.pk, person=author, channel=C)

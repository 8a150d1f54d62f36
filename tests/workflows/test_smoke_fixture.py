from workflows.models import AgreementState


def test_the_fixture_agreement_starts_in_draft_with_version_one(agreement):
    assert agreement.state == AgreementState.DRAFT
    assert agreement.versions.get().number == 1
    assert [e.action for e in agreement.events.order_by("seq")] == [
        "agreement_created",
        "version_submitted",
    ]

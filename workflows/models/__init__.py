from .agreements import Agreement, AgreementKind, AgreementState, DecidingBody, FollowUpCadence
from .decisions import (
    ActionToken,
    AppealOutcome,
    Body,
    Decision,
    DecisionStep,
    Outcome,
    SignatoryRole,
    Signature,
    StepKind,
    TaskKind,
    Track,
)
from .identity import IdentifiedBy, IdentityEvent, PersonIdentity
from .organisations import (
    Organisation,
    OrganisationKind,
    Person,
    Role,
    RoleAssignment,
    SigningAfter,
)
from .process import AgreementProcess, RoundTask
from .sealed import SealedRecord
from .trail import AuditEvent, EventActor
from .versions import DrafterApproval, Version

__all__ = [
    "IdentifiedBy",
    "IdentityEvent",
    "PersonIdentity",
    "ActionToken",
    "AppealOutcome",
    "Body",
    "Decision",
    "DecisionStep",
    "Outcome",
    "StepKind",
    "Signature",
    "SignatoryRole",
    "TaskKind",
    "Track",
    "AgreementProcess",
    "RoundTask",
    "SealedRecord",
    "Agreement",
    "AgreementKind",
    "AgreementState",
    "AuditEvent",
    "DecidingBody",
    "DrafterApproval",
    "EventActor",
    "FollowUpCadence",
    "Organisation",
    "OrganisationKind",
    "Person",
    "Role",
    "RoleAssignment",
    "SigningAfter",
    "Version",
]

from .corrections import CorrectedRecord, Correction  # noqa: E402
from .followups import FollowUpReport, ItemStatus, ReportState  # noqa: E402

__all__ += ["CorrectedRecord", "Correction", "FollowUpReport", "ItemStatus", "ReportState"]
from .registrations import Registration, SourceDocument  # noqa: E402

__all__ += ["Registration", "SourceDocument"]

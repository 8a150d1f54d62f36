from .agreements import Agreement, AgreementKind, AgreementState, DecidingBody, FollowUpCadence
from .organisations import Organisation, OrganisationKind, Person, Role, RoleAssignment
from .trail import AuditEvent, EventActor
from .versions import DrafterApproval, Version

__all__ = [
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
    "Version",
]

"""Domain errors: raised by the services, turned into pages or messages at the edge.

Each carries a message in Swedish (translatable) that the user can act on.
"""


class DomainError(Exception):
    """A request the rules refuse; nothing was changed."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotPermitted(DomainError):
    status_code = 403


class WrongState(DomainError):
    status_code = 409


class StaleVersion(DomainError):
    status_code = 409


class DuplicateAgreement(DomainError):
    """The same kommun, LPO and kind already have an agreement for an overlapping
    period; creating another takes a reason."""

    status_code = 409

    def __init__(self, message: str, agreements: list) -> None:
        super().__init__(message)
        self.agreements = agreements

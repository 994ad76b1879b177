"""Domain errors raised by services; interfaces turn them into messages (web) or status codes (API)."""


class DomainError(Exception):
    """A request the domain refuses; ``code`` is stable for integrators, the message is for people."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0])


class TransitionNotAllowed(DomainError):
    """The workflow's transition table does not allow this action from the case's status."""

    code = "transition_not_allowed"
    status = 409


class Conflict(DomainError):
    """The case's current state does not allow the request (an unexplained breach, a step not running...)."""

    code = "conflict"
    status = 409


class NotFound(DomainError):
    """What the request names does not exist (an unknown private link)."""

    code = "not_found"
    status = 404


class Gone(DomainError):
    """What the request names existed but is closed for good (a survey link past its window)."""

    code = "gone"
    status = 410


class PermissionDenied(DomainError):
    """The actor's role or office may not perform this action on this case."""

    code = "permission_denied"
    status = 403


class InvalidInput(DomainError):
    """The data given to a service is incomplete or wrong; nothing was changed."""

    code = "invalid_input"
    status = 422


class InvalidFields(InvalidInput):
    """Intake data with one or more wrong fields; ``errors`` maps each field name to its message."""

    code = "invalid_fields"

    def __init__(self, errors: dict[str, str]):
        first = next(iter(errors.values()), "")
        super().__init__(first)
        self.errors = dict(errors)

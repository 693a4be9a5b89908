"""Errors people can act on. Each carries a Japanese sentence for people, a stable code
for programs, and the HTTP status the API answers with."""


class GrantsError(Exception):
    status = 400

    def __init__(self, detail: str, *, code: str, **context: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.context = context


class NotFound(GrantsError):
    """Absent, or outside the caller's municipality: the two are indistinguishable."""

    status = 404


class Forbidden(GrantsError):
    """Visible to the caller, but not theirs to change: wrong role or org."""

    status = 403


class Refused(GrantsError):
    """The state or a rule does not allow it now (state machine, cap, budget, window)."""

    status = 409


class InvalidInput(GrantsError):
    """Malformed or missing input; ``problems`` maps field to a Japanese message."""

    status = 422

    def __init__(self, detail: str, *, problems: dict[str, str] | None = None) -> None:
        super().__init__(detail, code="invalid_input", problems=problems or {})
        self.problems = problems or {}


class Unauthorized(GrantsError):
    """No valid token: not signed in, expired, or revoked."""

    status = 401

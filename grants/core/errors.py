"""Errors people can act on. Each carries a Japanese sentence for people, a stable code
for programs, and the HTTP status the API answers with."""

from grants.core.ja.messages import message


class GrantsError(Exception):
    status = 400

    def __init__(self, detail: str, *, code: str, **context: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.context = context
        self.problems: dict[str, str] = context.get("problems") or {}  # field -> message

    def headers(self) -> dict[str, str] | None:
        """HTTP headers the answer carries beside the body."""
        return None


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


class Unauthorized(GrantsError):
    """No valid token: not signed in, expired, or revoked."""

    status = 401

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class TooManyRequests(GrantsError):
    """Refused for a while (failed sign-ins); ``retry_after`` says how many seconds."""

    status = 429

    def __init__(self, detail: str, *, code: str, retry_after: int) -> None:
        super().__init__(detail, code=code, retry_after=retry_after)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class Busy(GrantsError):
    """Too much at once for the moment (password hashing's slots are all taken): try again
    shortly; ``retry_after`` says when."""

    status = 503

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, code="busy", retry_after=retry_after)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class Unexpected(GrantsError):
    """Something went wrong that no rule foresaw (a bug): told in words, logged in full."""

    status = 500

    def __init__(self) -> None:
        super().__init__(message("unexpected"), code="unexpected")


class NotReady(GrantsError):
    """The service cannot serve now (its database is unreachable); it recovers by itself."""

    status = 503

    def __init__(self, detail: str) -> None:
        super().__init__(detail, code="not_ready")

    def headers(self) -> dict[str, str]:
        return {"Retry-After": "5"}

"""Who acts: the role and, for applicants and secretariat, the tenant they belong to.
What each of them may read or do is decided in ``grants.core.access``."""

from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    applicant = "applicant"
    secretariat = "secretariat"
    auditor = "auditor"
    admin = "admin"


@dataclass(frozen=True)
class Actor:
    username: str
    role: Role
    municipality_code: str | None = None  # applicants: the one municipality they serve
    org_id: str | None = None  # secretariat: the foundation they work for
    enrolling: bool = False  # signed in to set up two-factor sign-in, and for nothing else


# What the request log notes of the request being served (the user, once known). The request's
# middleware sets a fresh dict; the worker thread that resolves the token fills it in.
REQUEST_NOTES: ContextVar[dict | None] = ContextVar("request_notes", default=None)


def note_user(actor: "Actor | None") -> None:
    notes = REQUEST_NOTES.get()
    if notes is not None and actor is not None:
        notes["user"] = actor.username

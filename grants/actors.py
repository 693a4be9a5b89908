"""Who acts: the role and, for applicants and secretariat, the tenant they belong to.
What each of them may read or do is decided in ``grants.access``."""

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

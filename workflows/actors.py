"""Who acts: the role and, for applicants and secretariat, the tenant they belong to."""

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

    def sees(self, municipality_code: str, org_id: str) -> bool:
        """Whether this actor may know that a grant of that municipality exists at all."""
        if self.role is Role.applicant:
            return self.municipality_code == municipality_code
        return True

    def governs(self, org_id: str) -> bool:
        """Whether this actor may act on grants of that org's municipalities."""
        return self.role is Role.secretariat and self.org_id == org_id

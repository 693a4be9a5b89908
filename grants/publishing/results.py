"""The published results (SPEC §8): what the public may read of a grant, and only of a grant
in a public state. Every page, feed and data file of the public site reads through here, so
that "only published grants, only public fields" is decided in one place: a grant's reasons,
people, pending changes and attachments are never selected at all."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlmodel import Session

from grants.core.models import Category, DeclaredAction, Grant, Municipality, Org
from workflows.table import PUBLIC

# `publish` stamps the moment; should a published grant ever lack it, it sorts first, stably.
_NEVER = datetime(2000, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class PublishedGrant:
    id: int
    fiscal_year: int
    municipality_code: str
    municipality: str
    municipality_kind: str
    org_id: str
    org: str
    title: str
    category: str | None
    actions: tuple[str, ...]
    project_start: date | None
    project_end: date | None
    requested_yen: int | None
    decision_date: date | None
    confirmed_yen: int  # the amount the grant came to (額の確定)
    paid_yen: int
    public_summary: str | None
    outcomes: str | None
    published_at: datetime


@dataclass
class Totals:
    grants: int = 0
    yen: int = 0
    municipalities: set[str] = field(default_factory=set)

    def add(self, grant: PublishedGrant) -> None:
        self.grants += 1
        self.yen += grant.confirmed_yen
        self.municipalities.add(grant.municipality_code)


@dataclass(frozen=True)
class Group:
    """One municipality's published grants in one list (a year page, a municipality page)."""

    code: str
    name: str
    grants: list[PublishedGrant]

    @property
    def yen(self) -> int:
        return sum(g.confirmed_yen for g in self.grants)


_SELECTED = [getattr(Grant, name) for name in (
    "id", "fiscal_year", "municipality_code", "title", "category", "actions", "project_start",
    "project_end", "requested_yen", "decision_date", "confirmed_yen", "awarded_yen", "paid_yen",
    "public_summary", "outcomes", "published_at")]


def published(session: Session, *, fiscal_year: int | None = None,
              municipality_code: str | None = None, grant_id: int | None = None
              ) -> list[PublishedGrant]:
    """Published grants, by year, municipality code and grant number."""
    statement = (select(*_SELECTED, Municipality.name.label("municipality"),
                        Municipality.kind.label("municipality_kind"),
                        Org.id.label("org_id"), Org.name.label("org"))
                 .join(Municipality, Municipality.code == Grant.municipality_code)
                 .join(Org, Org.id == Municipality.org_id)
                 .where(Grant.state.in_(sorted(PUBLIC))))
    for column, value in ((Grant.fiscal_year, fiscal_year),
                          (Grant.municipality_code, municipality_code), (Grant.id, grant_id)):
        if value is not None:
            statement = statement.where(column == value)
    statement = statement.order_by(Grant.fiscal_year, Grant.municipality_code, Grant.id)
    return [_published(row) for row in session.execute(statement)]


def _published(row) -> PublishedGrant:
    return PublishedGrant(
        id=row.id, fiscal_year=row.fiscal_year, municipality_code=row.municipality_code,
        municipality=row.municipality, municipality_kind=row.municipality_kind,
        org_id=row.org_id, org=row.org, title=row.title, category=row.category,
        actions=tuple(row.actions or ()), project_start=row.project_start,
        project_end=row.project_end, requested_yen=row.requested_yen,
        decision_date=row.decision_date,
        # A published grant has been confirmed; the award stands in should that ever lack.
        confirmed_yen=row.confirmed_yen if row.confirmed_yen is not None else (row.awarded_yen or 0),
        paid_yen=row.paid_yen, public_summary=row.public_summary, outcomes=row.outcomes,
        published_at=row.published_at or _NEVER,
    )


def by_year(grants: Iterable[PublishedGrant]) -> dict[int, list[PublishedGrant]]:
    years: dict[int, list[PublishedGrant]] = defaultdict(list)
    for grant in grants:
        years[grant.fiscal_year].append(grant)
    return dict(sorted(years.items(), reverse=True))


def by_municipality(grants: Iterable[PublishedGrant]) -> list[Group]:
    groups: dict[str, Group] = {}
    for grant in sorted(grants, key=lambda g: (g.municipality_code, g.fiscal_year, g.id)):
        groups.setdefault(grant.municipality_code,
                          Group(grant.municipality_code, grant.municipality, [])).grants.append(grant)
    return list(groups.values())


def totals(grants: Iterable[PublishedGrant]) -> Totals:
    result = Totals()
    for grant in grants:
        result.add(grant)
    return result


def amounts_by_category(grants: Iterable[PublishedGrant]) -> dict[str, int]:
    """Confirmed yen per category, every category shown even at zero."""
    amounts = dict.fromkeys((c.value for c in Category), 0)
    for grant in grants:
        if grant.category in amounts:
            amounts[grant.category] += grant.confirmed_yen
    return amounts


def amounts_by_action(grants: Iterable[PublishedGrant]) -> dict[str, int]:
    """Confirmed yen per declared action. A grant that takes two of the three actions counts
    under each, so these add up to more than the year's total (the page says so)."""
    amounts = dict.fromkeys((a.value for a in DeclaredAction), 0)
    for grant in grants:
        for action in grant.actions:
            if action in amounts:
                amounts[action] += grant.confirmed_yen
    return amounts

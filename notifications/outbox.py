"""The outbox: notices written as rows in the transaction that causes them, once each.

Every write here is one set-based ``INSERT … SELECT … ON CONFLICT (dedup_key) DO NOTHING``:
the recipients are chosen in SQL (that municipality's active applicants, or that org's
active secretariat), and a row already there (the same reminder queued by an earlier scan,
a restarted one, or a second scheduler at the same moment) is left as it is."""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    case,
    cast,
    exists,
    false,
    literal,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import Select
from sqlmodel import Session, column

from grants.core import access
from grants.core.actors import Role
from grants.core.dates import applications_close
from grants.core.models import Grant, Municipality, Notification, Program, SignInLockout, User
from notifications.rules import RULES, Rule

COLUMNS = ("dedup_key", "kind", "occurrence", "user_id", "grant_id", "fiscal_year", "event_seq",
           "due_on", "created_at", "email_state", "attempts", "next_attempt_at")


def _insert(session: Session, select_: Select, columns: tuple[str, ...] = COLUMNS) -> int:
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Notification)
    statement = insert.from_select(columns, select_).on_conflict_do_nothing(
        index_elements=["dedup_key"]).returning(Notification.id)
    return len(session.execute(statement).all())  # rows new this time, not those already there


def _new(key):
    """Not queued before. The reminders of earlier scans are passed over by an index lookup,
    which costs far less than an insert that meets its conflict; ON CONFLICT stays for the
    moment two scans race for the same row."""
    return ~exists().where(Notification.dedup_key == key)


def _email_state(email_on: bool):
    """Pending for people who have an address and want e-mail, while e-mail is on at all."""
    if not email_on:
        return literal("off")
    return case((and_(User.email.is_not(None), User.email_notifications), literal("pending")),
                else_=literal("off"))


def _recipients(role: Role, municipality_code, org_id):
    """Who acts for the grant's municipality in that role (``grants.core.access``)."""
    return access.tenant_members(role, municipality_code, org_id)


def queue_action_notice(session: Session, *, grant: Grant, municipality: Municipality,
                        taken_by: Role, event_seq: int, action: str, now: datetime,
                        email_on: bool) -> int:
    """The news of an action to the other side: an applicant's move to the org's
    secretariat, the secretariat's to the municipality's applicants."""
    tell = Role.secretariat if taken_by is Role.applicant else Role.applicant
    key = literal(f"action:{event_seq}:") + cast(User.id, String)
    rows = (select(key, literal("action"), literal(action), User.id, literal(grant.id),
                   literal(grant.fiscal_year), literal(event_seq), literal(None, Date),
                   literal(now, Notification.created_at.type), _email_state(email_on),
                   literal(0), literal(now, Notification.next_attempt_at.type))
            .where(_recipients(tell, municipality.code, municipality.org_id),
                   User.disabled == false()))
    return _insert(session, rows)


@dataclass
class Scan:
    """What one scan queued, by rule."""

    today: date
    queued: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.queued.values())


def scan(session: Session, *, today: date, now: datetime, email_on: bool) -> Scan:
    """Queue every reminder due today (SPEC §7). A fixed number of statements whatever the
    number of grants: per rule, the distinct dates it counts from, then one insert."""
    programs = {p.fiscal_year: p for p in session.scalars(select(Program))}
    queued = {}
    for rule in RULES:
        if rule.anchor == "applications_close":
            queued[rule.kind] = _scan_window(session, rule, programs, today, now, email_on)
        else:
            queued[rule.kind] = _scan_grants(session, rule, programs, today, now, email_on)
    queued["sign_in_failures"] = _scan_lockouts(session, now, email_on)
    return Scan(today, queued)


def _scan_lockouts(session: Session, now: datetime, email_on: bool) -> int:
    """Each sign-in lock-out of the last day, told once to the person whose username it was
    (if there is such a person): someone may be guessing their password."""
    key = literal("lockout:") + cast(SignInLockout.id, String) + literal(":") + cast(User.id, String)
    rows = (select(key, literal("sign_in_failures"), User.id, SignInLockout.id,
                   literal(now, Notification.created_at.type), _email_state(email_on), literal(0),
                   literal(now, Notification.next_attempt_at.type))
            .select_from(SignInLockout).join(User, User.username == SignInLockout.username)
            .where(SignInLockout.locked_at >= now - timedelta(days=1), User.disabled == false(),
                   _new(key)))
    return _insert(session, rows, ("dedup_key", "kind", "user_id", "lockout_id", "created_at",
                                   "email_state", "attempts", "next_attempt_at"))


def _scan_window(session, rule: Rule, programs, today, now, email_on) -> int:
    schedule = []
    for program in programs.values():
        close = applications_close(program)
        if program.applications_open <= today <= close:
            occurrence = rule.schedule(close, rule.offsets(program.reminder_offsets), today)
            if occurrence is not None:
                schedule.append((program.fiscal_year, None,
                                 f"{rule.kind}:{program.fiscal_year}:{occurrence.label}:",
                                 occurrence.label, occurrence.due_on))
    if not schedule:
        return 0
    due = _listed(session, "due", schedule)
    submitted = exists().where(Grant.fiscal_year == due.c.fiscal_year,
                               Grant.municipality_code == User.municipality_code,
                               Grant.first_submitted_at.is_not(None))
    key = due.c.stem + cast(User.id, String)
    rows = (select(key, literal(rule.kind), due.c.occurrence,
                   User.id, literal(None, Integer), due.c.fiscal_year, literal(None, Integer),
                   due.c.due_on, literal(now, Notification.created_at.type),
                   _email_state(email_on), literal(0),
                   literal(now, Notification.next_attempt_at.type))
            .select_from(due).join(User, true())
            .where(User.role == "applicant", User.disabled == false(), ~submitted, _new(key)))
    return _insert(session, rows)


def _listed(session: Session, name: str, schedule: list[tuple]):
    """A schedule computed here, as a table in SQL: (fiscal_year, anchor, stem, occurrence,
    due_on) rows sent as one JSON parameter and unpacked by the database, so that the
    statement's text is the same at every scan (compiled once and cached, however long the
    list) and each date arrives as the date column it is compared with or stored in."""
    data = json.dumps([[year, anchor and anchor.isoformat(), stem, occurrence,
                        due_on and due_on.isoformat()]
                       for year, anchor, stem, occurrence, due_on in schedule])
    if session.get_bind().dialect.name == "postgresql":
        sql = ("SELECT (e->>0)::int AS fiscal_year, (e->>1)::date AS anchor, e->>2 AS stem, "
               "e->>3 AS occurrence, (e->>4)::date AS due_on "
               f"FROM jsonb_array_elements(CAST(:{name} AS jsonb)) AS e")
    else:  # SQLite keeps dates as ISO text, which is what json_extract gives
        sql = ("SELECT json_extract(value, '$[0]') AS fiscal_year, "
               "json_extract(value, '$[1]') AS anchor, json_extract(value, '$[2]') AS stem, "
               "json_extract(value, '$[3]') AS occurrence, json_extract(value, '$[4]') AS due_on "
               f"FROM json_each(:{name})")
    return (text(sql).bindparams(**{name: data})
            .columns(column("fiscal_year", Integer), column("anchor", Date),
                     column("stem", String), column("occurrence", String),
                     column("due_on", Date)).cte(name).prefix_with("MATERIALIZED"))


def _grants_due(session: Session, rule: Rule, anchor, states: list[str], name: str,
                schedule: list[tuple], now: datetime, email_on: bool, recipients) -> Select:
    """The (grant, recipient) rows of the grants whose (year, anchor date) is in
    ``schedule``, joined on the (fiscal_year, anchor) index."""
    due = _listed(session, name, schedule)
    key = due.c.stem + cast(Grant.id, String) + literal(":") + cast(User.id, String)
    return (select(key,
                   literal(rule.kind), due.c.occurrence, User.id, Grant.id, Grant.fiscal_year,
                   literal(None, Integer), due.c.due_on,
                   literal(now, Notification.created_at.type), _email_state(email_on),
                   literal(0), literal(now, Notification.next_attempt_at.type))
            .select_from(due)
            .join(Grant, and_(Grant.fiscal_year == due.c.fiscal_year, anchor == due.c.anchor))
            .join(Municipality, Municipality.code == Grant.municipality_code)
            .join(User, recipients)
            .where(Grant.state.in_(states), User.disabled == false(), _new(key)))


def _scan_grants(session, rule: Rule, programs, today, now, email_on) -> int:
    anchor = getattr(Grant, rule.anchor)
    states = [str(s) for s in rule.states]
    pairs = session.execute(select(Grant.fiscal_year, anchor).distinct()
                            .where(Grant.state.in_(states), anchor.is_not(None))).all()
    schedule, copied = [], []
    for fiscal_year, day in pairs:
        program = programs.get(fiscal_year)
        occurrence = rule.schedule(day, rule.offsets(program and program.reminder_offsets), today)
        if occurrence is not None:
            entry = (fiscal_year, day, f"{rule.kind}:{day.isoformat()}:{occurrence.label}:",
                     occurrence.label, occurrence.due_on)
            schedule.append(entry)
            if occurrence.copy_secretariat:
                copied.append(entry)
    if not schedule:
        return 0
    rows = _grants_due(session, rule, anchor, states, "due", schedule, now, email_on,
                       _recipients(rule.to, Grant.municipality_code, Municipality.org_id))
    if rule.to is Role.applicant and copied:
        # The secretariat is copied where the occurrence says so (the report, once overdue).
        # A second list of its own, not a condition on the first: each join then finds its
        # grants by the (year, date) index instead of scanning the list for every grant.
        rows = union_all(rows, _grants_due(session, rule, anchor, states, "copied", copied, now,
                                           email_on,
                                           _recipients(Role.secretariat, None,
                                                       Municipality.org_id)))
    return _insert(session, rows)

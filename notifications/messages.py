"""What a notice says: its subject and text, the same words in the inbox and in the e-mail,
read from the outbox row and what it refers to (the grant, the audit event). The Japanese
words are in ``grants.core.ja``; the e-mail's layout is ``templates/notice.txt``."""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import and_, select
from sqlmodel import Session

from grants.core.clock import JST
from grants.core.ja.labels import ACTION_LABELS, FIELD_LABELS, WEEKDAYS, state_label, yen
from grants.core.ja.notices import NOTICE_WORDS, NOTICES
from grants.core.models import AuditEvent, Grant, Municipality, Notification, SignInLockout, User
from grants.core.wareki import fiscal_year_label, wareki_date

_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)


@dataclass(frozen=True)
class Notice:
    id: int
    kind: str
    user_id: int
    username: str
    email: str | None
    subject: str
    lead: str
    facts: list[tuple[str, str]]  # (label, value) lines under the lead
    path: str  # where on the site it leads
    created_at: datetime
    read_at: datetime | None
    email_state: str
    attempts: int
    last_error: str | None

    def body(self, base_url: str) -> str:
        return _TEMPLATES.get_template("notice.txt").render(
            notice=self, words=NOTICE_WORDS, link=base_url.rstrip("/") + self.path)

    @property
    def full_subject(self) -> str:
        return NOTICE_WORDS["subject_prefix"] + self.subject


_ROWS = (select(Notification, User.username, User.email, User.role, Grant, Municipality.name,
                AuditEvent, SignInLockout)
         .join(User, User.id == Notification.user_id)
         .outerjoin(Grant, Grant.id == Notification.grant_id)
         .outerjoin(Municipality, Municipality.code == Grant.municipality_code)
         .outerjoin(AuditEvent, and_(AuditEvent.seq == Notification.event_seq,
                                     Notification.event_seq.is_not(None)))
         .outerjoin(SignInLockout, SignInLockout.id == Notification.lockout_id))


def notices(session: Session, where, *, order=None, limit: int | None = None) -> list[Notice]:
    """The notices matching ``where``, with their words, in one statement."""
    statement = _ROWS.where(where).order_by(*(order or [Notification.id]))
    if limit is not None:
        statement = statement.limit(limit)
    return [_notice(*row) for row in session.execute(statement)]


def _notice(n: Notification, username: str, email: str | None, role: str, grant: Grant | None,
            municipality: str | None, event: AuditEvent | None,
            lockout: SignInLockout | None) -> Notice:
    for_applicant = role == "applicant"
    values = {"year": fiscal_year_label(n.fiscal_year) if n.fiscal_year else "",
              "due": _day(n.due_on) if n.due_on else "", "since": "", "state": "", "action": ""}
    facts: list[tuple[str, str]] = []
    if grant is not None:
        values["grant"] = f"{municipality}「{grant.title}」"
        # An action's notice tells the state that action led to, however far the grant has
        # gone since; a reminder tells the state the grant is in now.
        state = event.to_state if event is not None else grant.state
        values["state"] = state_label(state, for_applicant=for_applicant)
        values["since"] = _day(grant.state_entered_on) if grant.state_entered_on else ""
        facts += [(FIELD_LABELS["fiscal_year"], fiscal_year_label(grant.fiscal_year)),
                  (FIELD_LABELS["title"], grant.title), (FIELD_LABELS["state"], values["state"])]
    if event is not None:
        values["action"] = ACTION_LABELS.get(event.action, event.action)
        facts += [(FIELD_LABELS.get(k, k), yen(v)) for k, v in event.amounts.items()
                  if isinstance(v, int) and not isinstance(v, bool)]
        if event.reason:
            facts.append((NOTICE_WORDS["reason"], event.reason))
    if n.due_on:
        facts.append((NOTICE_WORDS["due"], _day(n.due_on)))
    if lockout is not None:
        values |= _lockout_values(lockout)
    key = "report_overdue" if n.occurrence.startswith("overdue") else n.kind
    subject, lead = NOTICES[key]
    return Notice(id=n.id, kind=n.kind, user_id=n.user_id, username=username, email=email,
                  subject=subject.format(**values), lead=lead.format(**values), facts=facts,
                  path=f"/grants/{grant.id}" if grant is not None else "/",
                  created_at=n.created_at, read_at=n.read_at, email_state=n.email_state,
                  attempts=n.attempts, last_error=n.last_error)


def _lockout_values(lockout: SignInLockout) -> dict[str, object]:
    """A lock-out told in words: when, how many failures, and from where."""
    local = lockout.locked_at.astimezone(JST)
    address = lockout.subject.rsplit(" ", 1)[-1] if lockout.scope == "pair" else None
    return {"at": f"{_day(local.date())} {local:%H:%M}", "failures": lockout.failures,
            "where": (NOTICE_WORDS["from_address"].format(address=address) if address
                      else NOTICE_WORDS["from_anywhere"])}


def _day(day: date) -> str:
    """令和8年3月31日（火）: with the weekday, as deadlines are written to people."""
    return f"{wareki_date(day)}（{WEEKDAYS[day.weekday()]}）"


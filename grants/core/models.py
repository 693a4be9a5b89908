"""The data model: orgs, municipalities, fiscal-year programs, grants, cap commitments and
the audit trail. Money is integer yen (BIGINT); times are aware UTC; dates are ISO dates."""

from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, DateTime, Index, LargeBinary, Text, TypeDecorator, false, true
from sqlmodel import Field, SQLModel

from grants.core.clock import utcnow
from grants.core.ja.documents import ORG_HEAD_TITLE

# Stable constraint names, so migrations can refer to them on every backend.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in and out, on SQLite (which keeps no zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: times must be aware (UTC)")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Category(StrEnum):
    nature_conservation = "nature_conservation"
    warming_prevention = "warming_prevention"


class DeclaredAction(StrEnum):
    """The program's three declared actions (３つの行動)."""

    awareness = "awareness"
    cooperation = "cooperation"
    places_for_action = "places_for_action"


def _yen(**kwargs: Any) -> Any:
    return Field(sa_type=BigInteger, **kwargs)


class Org(SQLModel, table=True):
    __tablename__ = "orgs"

    id: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=100)
    head_title: str = Field(default=ORG_HEAD_TITLE, max_length=40)


class OrgHead(SQLModel, table=True):
    """Who heads an org from a given day (理事長 and name): notices name the head in office on
    the day they are dated, so that a change of head leaves older notices right."""

    __tablename__ = "org_heads"

    org_id: str = Field(foreign_key="orgs.id", primary_key=True, max_length=40)
    effective_from: date = Field(primary_key=True)
    title: str = Field(max_length=40)
    name: str = Field(max_length=40)


class Municipality(SQLModel, table=True):
    __tablename__ = "municipalities"

    code: str = Field(primary_key=True, min_length=6, max_length=6)
    name: str = Field(max_length=20)
    kana: str = Field(max_length=40)
    kind: str = Field(max_length=4)
    org_id: str = Field(foreign_key="orgs.id", index=True, max_length=40)
    # The head's name (区長・市長・町長・村長), for the forms; kept by the admin.
    head_name: str | None = Field(default=None, max_length=40)

    @property
    def head_title(self) -> str:
        """The addressee of documents: 千代田区長, 八王子市長, 瑞穂町長, 檜原村長."""
        return f"{self.name}長"


class Program(SQLModel, table=True):
    """One fiscal year of the program (年度). The cap is per year, not a constant."""

    __tablename__ = "programs"

    __table_args__ = (
        CheckConstraint("cap_yen > 0", name="cap_positive"),
        CheckConstraint("budget_yen IS NULL OR budget_yen > 0", name="budget_positive"),
        CheckConstraint("committed_yen >= 0", name="committed_nonnegative"),
        CheckConstraint("applications_open <= applications_close", name="window_order"),
    )

    fiscal_year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    cap_yen: int = _yen(default=1_000_000)
    budget_yen: int | None = _yen(default=None, nullable=True)
    # Sum of every municipality's commitment this year, kept for the budget check.
    committed_yen: int = _yen(default=0)
    applications_open: date
    applications_close: date
    allows_advance: bool = False
    report_days_after_end: int = 30
    report_deadline: date
    reminder_offsets: dict = Field(default_factory=dict, sa_type=JSON)
    # The 交付要綱 the notices cite, the article each form rests on ({"2": "第6条"}), and the
    # standard conditions of the 交付決定通知書; unset: the program's usual ones (grants.core.ja).
    guideline_name: str | None = Field(default=None, max_length=100)
    guideline_articles: dict | None = Field(default=None, sa_type=JSON)
    award_conditions: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class BankAccount(SQLModel, table=True):
    """The account a municipality is paid into (振込先), entered with its first 交付請求 and
    reused; shown whole only to that municipality and its org's secretariat."""

    __tablename__ = "bank_accounts"

    municipality_code: str = Field(foreign_key="municipalities.code", primary_key=True,
                                   max_length=6)
    bank_name: str = Field(max_length=40)
    bank_code: str = Field(max_length=4)
    branch_name: str = Field(max_length=40)
    branch_code: str = Field(max_length=3)
    account_type: str = Field(max_length=10)
    account_number: str = Field(max_length=7)
    holder_kana: str = Field(max_length=48)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    updated_by: str = Field(max_length=100)


class Commitment(SQLModel, table=True):
    """What one municipality has committed in one year, against that year's cap.

    Changed only by a conditional UPDATE (workflows.money) so that two awards at the same
    moment cannot both pass a check that only one of them fits."""

    __tablename__ = "commitments"
    __table_args__ = (CheckConstraint("committed_yen >= 0", name="committed_nonnegative"),)

    municipality_code: str = Field(foreign_key="municipalities.code", primary_key=True, max_length=6)
    fiscal_year: int = Field(foreign_key="programs.fiscal_year", primary_key=True)
    committed_yen: int = _yen(default=0)


class Grant(SQLModel, table=True):
    """One municipality's project in one fiscal year, through the subsidy procedure."""

    __tablename__ = "grants"

    __table_args__ = tuple(
        CheckConstraint(f"{column} >= 0", name=f"{column}_nonnegative")
        for column in (
            "project_cost_yen", "requested_yen", "awarded_yen", "actual_cost_yen",
            "confirmed_yen", "advanced_yen", "paid_yen", "refund_due_yen",
        )
    ) + (
        # The reminder scans find grants by year and the day they count from.
        Index("ix_grants_year_state_entered_on", "fiscal_year", "state_entered_on"),
        Index("ix_grants_year_report_due", "fiscal_year", "report_due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    fiscal_year: int = Field(foreign_key="programs.fiscal_year", index=True)
    municipality_code: str = Field(foreign_key="municipalities.code", index=True, max_length=6)
    state: str = Field(default="draft", index=True, max_length=20)
    # The day (in Japan) the grant entered its state: "waiting for N open days" counts from it.
    state_entered_on: date | None = None

    # application (様式第1号)
    title: str = Field(max_length=200)
    category: str | None = Field(default=None, max_length=30)
    actions: list[str] = Field(default_factory=list, sa_type=JSON)
    summary: str | None = Field(default=None, sa_type=Text)
    project_start: date | None = None
    project_end: date | None = None
    project_cost_yen: int | None = _yen(default=None, nullable=True)
    requested_yen: int | None = _yen(default=None, nullable=True)
    first_submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the latest

    # award (交付決定) and changes
    awarded_yen: int | None = _yen(default=None, nullable=True)
    decision_date: date | None = None
    conditions: str | None = Field(default=None, sa_type=Text)
    pending_change: dict | None = Field(default=None, sa_type=JSON)
    # The performance report's due date (SPEC §3), rolled to an open day; set at the award
    # and at an approved change, so reminders and the pages read one stored date.
    report_due: date | None = None

    # performance report (実績報告) and amount confirmation (額の確定)
    actual_cost_yen: int | None = _yen(default=None, nullable=True)
    outcomes: str | None = Field(default=None, sa_type=Text)
    completed_on: date | None = None  # 事業完了日, as reported
    report_submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    confirmed_yen: int | None = _yen(default=None, nullable=True)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    # money out and back
    advanced_yen: int = _yen(default=0)
    paid_yen: int = _yen(default=0)
    refund_due_yen: int = _yen(default=0)
    paid_on: date | None = None
    # The account the 交付請求書 (様式第8号) asked to be paid into, as it was then.
    payment_account: dict | None = Field(default=None, sa_type=JSON)

    # publication
    public_summary: str | None = Field(default=None, sa_type=Text)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AuditEvent(SQLModel, table=True):
    """One accepted action. Append-only (triggers refuse UPDATE and DELETE) and
    hash-chained: ``hash`` covers every field and ``prev_hash``, the previous event's hash."""

    __tablename__ = "audit_events"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    # None for an event that concerns no single grant (an export of the ledger).
    grant_id: int | None = Field(default=None, foreign_key="grants.id", index=True)
    action: str = Field(max_length=20)
    from_state: str | None = Field(default=None, max_length=20)
    to_state: str | None = Field(default=None, max_length=20)
    actor: str = Field(max_length=100)
    actor_role: str = Field(max_length=20)
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    amounts: dict = Field(default_factory=dict, sa_type=JSON)
    reason: str | None = Field(default=None, sa_type=Text)
    documents: list = Field(default_factory=list, sa_type=JSON)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class AuditHead(SQLModel, table=True):
    """The end of the chain: the last event's number and hash. One row, locked by every
    append so that events get consecutive numbers and each links to the one before."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    seq: int = 0
    hash: str = Field(max_length=64)


class User(SQLModel, table=True):
    """A person who signs in. Applicants belong to one municipality, secretariat staff to
    one org; auditors and admins to neither."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('applicant', 'secretariat', 'auditor', 'admin')", name="role"),
        CheckConstraint("role <> 'applicant' OR municipality_code IS NOT NULL",
                        name="applicant_has_municipality"),
        CheckConstraint("role <> 'secretariat' OR org_id IS NOT NULL", name="secretariat_has_org"),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    role: str = Field(max_length=20)
    municipality_code: str | None = Field(default=None, foreign_key="municipalities.code",
                                          max_length=6)
    org_id: str | None = Field(default=None, foreign_key="orgs.id", max_length=40)
    email: str | None = Field(default=None, max_length=254)
    password_hash: str = Field(max_length=255)
    disabled: bool = False
    # The person's own choice: notices by e-mail as well as in the inbox.
    email_notifications: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    # SHA-256 of the secret in the address of the person's calendar feed (.ics); none: no feed.
    calendar_token_hash: str | None = Field(default=None, max_length=64, unique=True)
    # Two-factor sign-in (grants.core.two_factor): the TOTP secret, sealed with the site's key;
    # one being set up until its first code confirms it; the time step of the last code
    # accepted, so that no code is accepted twice.
    totp_secret: str | None = Field(default=None, max_length=200)
    totp_pending: str | None = Field(default=None, max_length=200)
    totp_enabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    totp_last_step: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    """A bearer token of the API, or the session of a signed-in browser (``kind``), each good
    only for its own way in; or a sign-in whose password was right and whose second factor is
    still to come (``pending``, minutes long). Only its SHA-256 is stored; the token itself is
    shown once. A browser session that may only set up two-factor sign-in is ``enrolment_only``."""

    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint("kind IN ('api', 'web', 'pending')", name="kind"),)

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    kind: str = Field(default="api", max_length=10, sa_column_kwargs={"server_default": "api"})
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    enrolment_only: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class RecoveryCode(SQLModel, table=True):
    """One of a person's ten one-time codes for signing in without their authenticator app,
    kept as an HMAC under the site's key, used once."""

    __tablename__ = "recovery_codes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RolePolicy(SQLModel, table=True):
    """Whether a role must sign in with a second factor; a role without a row follows the
    default (grants.core.two_factor)."""

    __tablename__ = "role_policies"

    role: str = Field(primary_key=True, max_length=20)
    totp_required: bool


class Attachment(SQLModel, table=True):
    """A file attached to a grant (quotes, photos, spreadsheets), kept as uploaded."""

    __tablename__ = "attachments"

    id: int | None = Field(default=None, primary_key=True)
    grant_id: int = Field(foreign_key="grants.id", index=True)
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=LargeBinary)
    uploaded_by: str = Field(max_length=64)
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Document(SQLModel, table=True):
    """An issued form (様式), stored exactly as issued and never regenerated in place.
    Its SHA-256 is also recorded in the audit event of the action that issued it."""

    __tablename__ = "documents"

    id: int | None = Field(default=None, primary_key=True)
    grant_id: int = Field(foreign_key="grants.id", index=True)
    form: int
    title: str = Field(max_length=200)
    number: str | None = Field(default=None, max_length=60)
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=LargeBinary)
    issued_on: date
    issued_at: datetime = Field(sa_type=UTCDateTime)
    issued_by: str = Field(max_length=100)


class DocumentPdf(SQLModel, table=True):
    """The PDF of an issued document, made from its stored .docx by LibreOffice the first
    time someone asks for it, then kept as made (the database refuses changes); its SHA-256
    is in the audit trail (event ``document_pdf``)."""

    __tablename__ = "document_pdfs"

    document_id: int = Field(foreign_key="documents.id", primary_key=True,
                             sa_column_kwargs={"autoincrement": False})
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=LargeBinary)
    made_at: datetime = Field(sa_type=UTCDateTime)


class DocumentCounter(SQLModel, table=True):
    """The last document number an org used in a fiscal year (番号は財団・年度ごと)."""

    __tablename__ = "document_counters"

    org_id: str = Field(foreign_key="orgs.id", primary_key=True, max_length=40)
    fiscal_year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_number: int = 0


class RateCounter(SQLModel, table=True):
    """A counter of failed sign-ins (``grants.core.throttle``) with the moment its window
    ends, kept in the database so that every worker process counts the same failures."""

    __tablename__ = "rate_counters"

    key: str = Field(primary_key=True, max_length=200)
    count: int = 0
    expires_at: float = 0.0  # POSIX seconds
    next_try_at: float = 0.0  # POSIX seconds: a pair past its limit waits until then


class SignInLockout(SQLModel, table=True):
    """A username or client address that reached the limit of failed sign-ins: kept for the
    admin, who can see who was locked out, when and until when."""

    __tablename__ = "sign_in_lockouts"

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=20)  # "pair" (username and address) or "username"
    subject: str = Field(max_length=100)
    username: str | None = Field(default=None, max_length=64)  # whose sign-in it was
    failures: int
    locked_at: datetime = Field(sa_type=UTCDateTime)
    locked_until: datetime = Field(sa_type=UTCDateTime)


class Notification(SQLModel, table=True):
    """One notice to one person: a reminder of SPEC §7, or the news of an action taken by the
    other side. Written in the transaction of the action or scan that caused it, and once
    only: ``dedup_key`` (kind, grant or year, recipient, occurrence) is unique, so a second
    scan, a restarted one or a second scheduler finds the row there and adds nothing.

    The inbox reads it (``read_at``); e-mail delivers it (``email_state``): ``pending`` until
    a deliverer claims it (``sending``, until ``claimed_until``), then ``sent``, or back to
    ``pending`` with a later ``next_attempt_at`` after a failure, ``failed`` after the last
    try, or ``off`` when it goes to the inbox only."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint("email_state IN ('pending', 'sending', 'sent', 'failed', 'off')",
                        name="email_state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dedup_key: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=40)
    occurrence: str = Field(default="", max_length=20)  # which of a rule's reminders
    user_id: int = Field(foreign_key="users.id", index=True)
    grant_id: int | None = Field(default=None, foreign_key="grants.id", index=True)
    fiscal_year: int | None = None
    event_seq: int | None = None  # the audit event an action's notice tells of
    due_on: date | None = None  # the deadline a reminder is about
    lockout_id: int | None = Field(default=None, foreign_key="sign_in_lockouts.id")  # its news
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    email_state: str = Field(default="off", max_length=10, index=True)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)

"""What people type: the body of each action, a draft application, a fiscal-year program, a
user, a sign-in. Strict where people and programs make mistakes: amounts are whole yen given
as integers (never strings, floats or booleans), dates are ISO strings, text is normalised
and bounded by ``grants.core.fields``, unknown fields are refused. Rules that need the grant or
the program (a period inside the fiscal year, a decision after the submission) are checked
where those are known: ``grants.core.dates`` and the workflow's effects."""

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from grants.core.actors import Role
from grants.core.fields import (
    AccountNumber,
    BankCode,
    BankName,
    BranchCode,
    FiscalYear,
    HolderKana,
    IsoDate,
    LongText,
    MunicipalityCode,
    OrgId,
    PositiveYen,
    Reason,
    Title,
    Username,
    Yen,
    secret,
    text,
    whole,
)
from grants.core.ja.labels import FIELD_LABELS
from grants.core.ja.messages import message
from grants.core.models import Category, DeclaredAction


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):
        """A field that may be left out (and then stays as it is) but is never null has the
        default ``None`` that Python needs; the schema states its type alone."""
        schema = handler(core_schema)
        for rules in handler.resolve_ref_schema(schema).get("properties", {}).values():
            nullable = rules.get("type") == "null" or any(
                part.get("type") == "null" for part in rules.get("anyOf", ()))
            if "default" in rules and rules["default"] is None and not nullable:
                del rules["default"]
        return schema


class NoBody(Body):
    pass


def _given(*fields: str) -> dict:
    """The schema of a body in which these fields are given (present, and not null)."""
    return {"required": list(fields), "properties": {name: {"not": {"type": "null"}} for name in fields}}


def _not_given(*fields: str) -> dict:
    """The schema of a body in which none of these fields is given (absent, or null)."""
    return {"properties": {name: {"type": "null"} for name in fields}}


class ReasonBody(Body):
    reason: Reason


class AwardBody(Body):
    awarded_yen: PositiveYen
    decision_date: IsoDate
    conditions: LongText | None = None


class AdvanceBody(Body):
    amount_yen: PositiveYen


class ChangeBody(Body):
    # At least one thing changes; the schema says so too.
    model_config = ConfigDict(**Body.model_config, json_schema_extra=lambda schema: schema.update(
        anyOf=[_given(name) for name in ("requested_yen", "title", "summary", "project_end",
                                         "project_cost_yen")]))

    reason: Reason
    requested_yen: PositiveYen | None = None
    title: Title | None = None
    summary: LongText | None = None
    project_end: IsoDate | None = None
    project_cost_yen: PositiveYen | None = None

    @model_validator(mode="after")
    def _something_changes(self) -> "ChangeBody":
        if not self.changes():
            raise ValueError(message("no_change"))
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude={"reason"}, exclude_none=True)


class ApproveChangeBody(Body):
    awarded_yen: PositiveYen | None = None


class ReportBody(Body):
    actual_cost_yen: Yen
    outcomes: LongText
    completed_on: IsoDate | None = None  # 事業完了日; the project's end date if not given


class BankAccountIn(Body):
    """The account a municipality is paid into (振込先): entered once, reused."""

    bank_name: BankName
    bank_code: BankCode
    branch_name: BankName
    branch_code: BranchCode
    account_type: Literal["ordinary", "current"]  # 普通 / 当座
    account_number: AccountNumber
    holder_kana: HolderKana


class PaymentRequestBody(Body):
    """交付請求 (様式第8号): to the account given here, which becomes the municipality's
    account, or, with none given, to the account it gave before."""

    # The whole account or none of it; the schema says so too.
    model_config = ConfigDict(**Body.model_config, json_schema_extra=lambda schema: schema.update(
        anyOf=[_not_given(*BankAccountIn.model_fields), _given(*BankAccountIn.model_fields)]))

    bank_name: BankName | None = None
    bank_code: BankCode | None = None
    branch_name: BankName | None = None
    branch_code: BranchCode | None = None
    account_type: Literal["ordinary", "current"] | None = None
    account_number: AccountNumber | None = None
    holder_kana: HolderKana | None = None

    @model_validator(mode="after")
    def _all_or_nothing(self) -> "PaymentRequestBody":
        given = self.model_dump(exclude_none=True)
        missing = [name for name in BankAccountIn.model_fields if name not in given]
        if given and missing:
            raise ValueError(message("account_incomplete",
                                     fields="、".join(FIELD_LABELS[name] for name in missing)))
        return self

    def account(self) -> dict | None:
        """The account given, or None: the one the municipality gave before."""
        return self.model_dump(exclude_none=True) or None


class SettleBody(Body):
    paid_on: IsoDate | None = None


class PublishBody(Body):
    public_summary: LongText


class GrantDraft(Body):
    """A new application. Only the year, the municipality and a title are needed to save
    a draft; completeness is checked at submission."""

    fiscal_year: FiscalYear
    municipality_code: MunicipalityCode
    title: Title
    category: Category | None = None
    actions: list[DeclaredAction] = Field(default_factory=list, max_length=3,
                                          json_schema_extra={"uniqueItems": True})
    summary: LongText | None = None
    project_start: IsoDate | None = None
    project_end: IsoDate | None = None
    project_cost_yen: PositiveYen | None = None
    requested_yen: PositiveYen | None = None

    @field_validator("actions")
    @classmethod
    def _unique(cls, actions: list[DeclaredAction]) -> list[DeclaredAction]:
        if len(set(actions)) != len(actions):
            raise ValueError(message("duplicate"))
        return actions


class GrantEdit(GrantDraft):
    """Changes to a draft or returned application: any subset of the draft's fields
    except the year and the municipality, which fix whose grant it is. A field given as
    null is cleared, except the title, which every application keeps."""

    fiscal_year: None = None  # type: ignore[assignment]
    municipality_code: None = None  # type: ignore[assignment]
    title: Title = None  # type: ignore[assignment]

    @field_validator("title", mode="before")
    @classmethod
    def _title_stays(cls, title: object) -> object:
        if title is None:
            raise ValueError(message("blank"))
        return title


class ProgramBody(Body):
    """A fiscal year of the program as an admin opens it."""

    fiscal_year: FiscalYear
    cap_yen: PositiveYen = 1_000_000
    budget_yen: PositiveYen | None = None
    applications_open: IsoDate
    applications_close: IsoDate
    allows_advance: StrictBool = False

    @model_validator(mode="after")
    def _window_in_order(self) -> "ProgramBody":
        if self.applications_close < self.applications_open:
            raise ValueError(message("window_order", open=self.applications_open,
                                     close=self.applications_close))
        return self


Days = whole(ge=0, le=90)
DaysAfter = whole(ge=1, le=365)


class ReminderOffsets(Body):
    """When the year's reminders go out (SPEC §7); a field left out keeps its value.

    ``application_close`` and ``report_due``: days before the deadline (0: on the day);
    the others: (open) days a grant has waited before the first reminder."""

    application_close: list[Days] | None = Field(default=None, max_length=10)
    report_due: list[Days] | None = Field(default=None, max_length=10)
    waiting_applicant_open_days: DaysAfter | None = None
    waiting_review_open_days: DaysAfter | None = None
    unsettled_days: DaysAfter | None = None

    @field_validator("application_close", "report_due")
    @classmethod
    def _distinct_latest_first(cls, days: list[int] | None) -> list[int] | None:
        return None if days is None else sorted(set(days), reverse=True)


class ProgramPatch(Body):
    """Changes to a fiscal year; ``budget_yen: null`` removes the budget limit."""

    # Left out: unchanged. Only the budget and the notices' words may be given as null.
    cap_yen: PositiveYen = None
    budget_yen: PositiveYen | None = None
    applications_open: IsoDate = None
    applications_close: IsoDate = None
    allows_advance: StrictBool = None
    reminder_offsets: ReminderOffsets = None
    # What the notices cite and impose; null: the program's usual ones again.
    guideline_name: text(100, multiline=False) | None = None
    guideline_articles: dict[Annotated[str, StringConstraints(pattern=r"^[1-9]$")],
                             text(20, multiline=False)] | None = Field(
        default=None, json_schema_extra=lambda schema: [
            part.update(additionalProperties=False) for part in schema["anyOf"] if part.get("type") == "object"])
    award_conditions: text(4000) | None = None


Password = secret(256)


NewPassword = secret(256, min_length=10)


class UserBody(Body):
    """A new user. Applicants name their municipality, secretariat staff their org."""

    username: Username
    role: Role
    password: NewPassword  # type: ignore[valid-type]
    municipality_code: MunicipalityCode | None = None
    org_id: OrgId | None = None
    email: Annotated[str, StringConstraints(
        strip_whitespace=True, max_length=254,
        pattern=r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")] | None = None

    @model_validator(mode="after")
    def _tenant_matches_role(self) -> "UserBody":
        wants_municipality = self.role is Role.applicant
        wants_org = self.role is Role.secretariat
        if wants_municipality != (self.municipality_code is not None):
            raise ValueError(message("user_municipality"))
        if wants_org != (self.org_id is not None):
            raise ValueError(message("user_org"))
        return self


class EmailChoice(Body):
    """Whether a person receives notices by e-mail as well as in the inbox."""

    email_notifications: StrictBool


RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]


class RequeueChoice(Body):
    """Failed e-mails to send again: those chosen, or every one when none is."""

    ids: list[RowId] = Field(default_factory=list, max_length=1000)


class SignIn(Body):
    """A username and password as typed at sign-in. A password longer than any that can be
    set is refused before it is hashed, so a huge one costs nothing."""

    username: text(64, multiline=False)  # type: ignore[valid-type]
    password: Password  # type: ignore[valid-type]
    otp: text(20, multiline=False) | None = None  # type: ignore[valid-type]


class PasswordChange(Body):
    """A person's own new password, typed twice, with the one it replaces."""

    current_password: Password  # type: ignore[valid-type]
    new_password: NewPassword  # type: ignore[valid-type]
    new_password_again: Password  # type: ignore[valid-type]

    @field_validator("new_password_again")
    @classmethod
    def _typed_the_same_twice(cls, again: str, info: ValidationInfo) -> str:
        if "new_password" in info.data and again != info.data["new_password"]:
            raise PydanticCustomError("password_mismatch", "the two new passwords differ")
        return again


class CodeBody(Body):
    """A code from the authenticator app (or a recovery code, where one is taken)."""

    code: text(20, multiline=False)  # type: ignore[valid-type]

"""What each action takes, and what a draft application holds. Strict where people and
programs make mistakes: amounts are whole yen given as integers (never strings, floats or
booleans), text is trimmed and bounded, unknown fields are refused."""

from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from grants.errors import InvalidInput
from grants.ja import FIELD_LABELS, message
from grants.models import Category, DeclaredAction
from workflows.actors import Role

MAX_YEN = 1_000_000_000_000  # a trillion yen: far above any grant, well inside BIGINT

Yen = Annotated[int, Strict(), Field(ge=0, le=MAX_YEN)]
PositiveYen = Annotated[int, Strict(), Field(gt=0, le=MAX_YEN)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoBody(Body):
    pass


class ReasonBody(Body):
    reason: Reason


class AwardBody(Body):
    awarded_yen: PositiveYen
    decision_date: date
    conditions: LongText | None = None


class AdvanceBody(Body):
    amount_yen: PositiveYen


class ChangeBody(Body):
    reason: Reason
    requested_yen: PositiveYen | None = None
    title: Title | None = None
    summary: LongText | None = None
    project_end: date | None = None
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


class SettleBody(Body):
    paid_on: date | None = None


class PublishBody(Body):
    public_summary: LongText


class GrantDraft(Body):
    """A new application. Only the year, the municipality and a title are needed to save
    a draft; completeness is checked at submission."""

    fiscal_year: Annotated[int, Strict(), Field(ge=2000, le=2100)]
    municipality_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
    title: Title
    category: Category | None = None
    actions: list[DeclaredAction] = Field(default_factory=list, max_length=3)
    summary: LongText | None = None
    project_start: date | None = None
    project_end: date | None = None
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
    title: Title | None = None  # type: ignore[assignment]

    @field_validator("title")
    @classmethod
    def _title_stays(cls, title: str | None) -> str:
        if title is None:
            raise ValueError(message("blank"))
        return title


class ProgramBody(Body):
    """A fiscal year of the program as an admin opens it."""

    fiscal_year: Annotated[int, Strict(), Field(ge=2000, le=2100)]
    cap_yen: PositiveYen = 1_000_000
    budget_yen: PositiveYen | None = None
    applications_open: date
    applications_close: date
    allows_advance: bool = False

    @model_validator(mode="after")
    def _window_in_order(self) -> "ProgramBody":
        if self.applications_close < self.applications_open:
            raise ValueError(message("window_order", open=self.applications_open,
                                     close=self.applications_close))
        return self


class ProgramPatch(Body):
    """Changes to a fiscal year; ``budget_yen: null`` removes the budget limit."""

    cap_yen: PositiveYen | None = None
    budget_yen: PositiveYen | None = None
    applications_open: date | None = None
    applications_close: date | None = None
    allows_advance: bool | None = None

    @model_validator(mode="after")
    def _only_budget_may_be_cleared(self) -> "ProgramPatch":
        for field in self.model_fields_set - {"budget_yen"}:
            if getattr(self, field) is None:
                raise ValueError(f"{FIELD_LABELS.get(field, field)}（{field}）: {message('required')}")
        return self


class UserBody(Body):
    """A new user. Applicants name their municipality, secretariat staff their org."""

    username: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._@-]{3,64}$")]
    role: Role
    password: Annotated[str, StringConstraints(min_length=10, max_length=256)]
    municipality_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")] | None = None
    org_id: Annotated[str, StringConstraints(max_length=40)] | None = None
    email: Annotated[str, StringConstraints(
        strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None

    @model_validator(mode="after")
    def _tenant_matches_role(self) -> "UserBody":
        wants_municipality = self.role is Role.applicant
        wants_org = self.role is Role.secretariat
        if wants_municipality != (self.municipality_code is not None):
            raise ValueError(message("user_municipality"))
        if wants_org != (self.org_id is not None):
            raise ValueError(message("user_org"))
        return self


M = TypeVar("M", bound=BaseModel)


def parse(schema: type[M], data: BaseModel | dict[str, Any] | None) -> M:
    """Validate input against a schema, or raise InvalidInput in Japanese, field by field."""
    if isinstance(data, schema):
        return data
    if isinstance(data, BaseModel):
        data = data.model_dump(exclude_unset=True)
    try:
        return schema.model_validate(data or {})
    except ValidationError as error:
        detail, problems = problems_from(error.errors())
        raise InvalidInput(detail, problems=problems) from None


def problems_from(errors: list[dict[str, Any]]) -> tuple[str, dict[str, str]]:
    """A Japanese sentence and a field -> message map from pydantic's errors."""
    problems: dict[str, str] = {}
    for error in errors:
        problems.setdefault(_field(error["loc"]), _japanese(error))
    listing = "、".join(
        f"{FIELD_LABELS[field]}（{field}）: {text}" if field in FIELD_LABELS
        else f"{field}: {text}" if field else text
        for field, text in problems.items()
    )
    return message("invalid_input", problems=listing), problems


_WHERE = {"body", "query", "path", "header", "cookie", "form"}


def _field(loc: tuple) -> str:
    """('body', 'awarded_yen') -> 'awarded_yen'; ('body', 'actions', 0) -> 'actions'."""
    parts = [str(p) for p in loc if not isinstance(p, int)]
    if parts and parts[0] in _WHERE:
        parts = parts[1:]
    return parts[0] if parts else "body"


_SIMPLE = {
    "missing": "required",
    "int_type": "integer",
    "int_parsing": "integer",
    "int_from_float": "integer",
    "date_type": "date",
    "date_parsing": "date",
    "date_from_datetime_inexact": "date",
    "date_from_datetime_parsing": "date",
    "extra_forbidden": "not_allowed_field",
    "list_type": "list",
    "string_type": "text",
    "json_invalid": "json",
    "model_attributes_type": "object",
    "dict_type": "object",
    "model_type": "object",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "string_pattern_mismatch": "invalid_value",
    "literal_error": "invalid_value",
    "list_too_long": "too_many",
}


def _japanese(error: dict[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in _SIMPLE:
        return message(_SIMPLE[kind])
    if kind == "greater_than":
        return message("more_than", limit=f"{ctx['gt']:,}")
    if kind == "greater_than_equal":
        return message("min_value", limit=f"{ctx['ge']:,}")
    if kind == "less_than_equal":
        return message("max_value", limit=f"{ctx['le']:,}")
    if kind == "string_too_short":
        limit = ctx.get("min_length", 1)
        return message("blank") if limit <= 1 else message("too_short", limit=limit)
    if kind in ("string_too_long", "too_long"):
        return message("too_long", limit=ctx.get("max_length"))
    if kind == "enum":
        return message("choice", choices=str(ctx.get("expected", "")).replace(" or ", ", "))
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "none_required":
        return message("not_allowed_field")
    return message("invalid_value")

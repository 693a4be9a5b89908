"""Input checked against a schema, and pydantic's complaints turned into Japanese, field by
field, for the API's 422 answers and the pages' messages next to each field."""

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from grants.core.errors import InvalidInput, Refused
from grants.core.ja.labels import FIELD_LABELS
from grants.core.ja.messages import message

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
        raise invalid(error.errors()) from None


def invalid(errors: list[dict[str, Any]]) -> InvalidInput:
    detail, problems = problems_from(errors)
    return InvalidInput(detail, problems=problems)


def conflict(field: str, problem: str) -> Refused:
    """One field's value at odds with something else (the grant's year or submission, the
    other date of a pair, today): well-formed, as the schema says, but not taken (409), told
    against the field as the schema's own refusals are."""
    return Refused(message("rule_conflict", problems=_listing({field: problem})),
                   code="rule_conflict", problems={field: problem})


def problems_from(errors: list[dict[str, Any]]) -> tuple[str, dict[str, str]]:
    """A Japanese sentence and a field -> message map from pydantic's errors."""
    problems: dict[str, str] = {}
    for error in errors:
        problems.setdefault(_field(error["loc"]), _japanese(error))
    return message("invalid_input", problems=_listing(problems)), problems


def _listing(problems: dict[str, str]) -> str:
    return "、".join(
        f"{FIELD_LABELS[field]}（{field}）: {text}" if field in FIELD_LABELS
        else f"{field}: {text}" if field else text
        for field, text in problems.items()
    )


_WHERE = {"body", "query", "path", "header", "cookie", "form"}


def _field(loc: tuple) -> str:
    """('body', 'awarded_yen') -> 'awarded_yen'; ('body', 'actions', 0) -> 'actions'; a
    field inside another that has a label of its own is named by both:
    'reminder_offsets.report_due'."""
    parts = [str(p) for p in loc if not isinstance(p, int)]
    if parts and parts[0] in _WHERE:
        parts = parts[1:]
    if len(parts) >= 2 and f"{parts[0]}.{parts[1]}" in FIELD_LABELS:
        return f"{parts[0]}.{parts[1]}"
    return parts[0] if parts else "body"


_SIMPLE = {
    "missing": "required",
    "int_type": "integer",
    "int_parsing": "integer",
    "int_from_float": "integer",
    "date_type": "date",
    "date_parsing": "date",
    "extra_forbidden": "not_allowed_field",
    "list_type": "list",
    "string_type": "text",
    "string_unicode": "text",
    "json_invalid": "json",
    "model_attributes_type": "object",
    "dict_type": "object",
    "model_type": "object",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "string_pattern_mismatch": "invalid_value",
    "literal_error": "invalid_value",
    "list_too_long": "too_many",
    "line_break": "line_break",
    "none_required": "not_allowed_field",
    "kana": "kana",
    "invisible": "blank",
    "password_mismatch": "password_mismatch",
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
    if kind in ("string_too_short", "too_short"):
        limit = ctx.get("min_length", 1)
        return message("blank") if limit <= 1 else message("too_short", limit=limit)
    if kind in ("string_too_long", "too_long"):
        return message("too_long", limit=f"{ctx.get('max_length'):,}")
    if kind == "forbidden_character":
        return message("forbidden_character", char=ctx["char"])
    if kind == "digits":
        return message("digits", count=ctx["count"])
    if kind == "date_range":
        return message("date_range", first=ctx["first"], last=ctx["last"])
    if kind == "enum":
        return message("choice", choices=str(ctx.get("expected", "")).replace(" or ", ", "))
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return message("invalid_value")

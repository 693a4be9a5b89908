"""What people type into the pages' forms, turned into what the input schemas take.

Amounts are typed as people write them: ``1000000``, ``1,000,000``, ``１，０００，０００`` or
``100万``; anything else is refused with a message next to the field. An empty box means the
field is not given. Everything else is passed on as typed, for the same schemas (and the
same Japanese messages) as the API to judge."""

import re
from dataclasses import dataclass

from pydantic import BaseModel
from starlette.datastructures import FormData

from grants.core.errors import InvalidInput
from grants.core.fields import FIRST_YEAR, LAST_YEAR, ascii_digits, whole_number
from grants.core.ja.labels import CHOICE_LABELS
from grants.core.ja.messages import message
from grants.core.ja.pages import PAGE
from grants.core.validation import parse

_PLAIN = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_MAN = re.compile(r"([0-9]+)万")

MULTILINE = {"summary", "reason", "conditions", "outcomes", "public_summary", "award_conditions"}
DATES = {"project_start", "project_end", "decision_date", "completed_on", "paid_on",
         "applications_open", "applications_close"}


def parse_yen(typed: str) -> int:
    """Whole yen from what a person typed; ValueError with the Japanese message otherwise."""
    text = ascii_digits(typed).strip()  # full-width digits and commas too
    if _PLAIN.fullmatch(text):
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(text.replace(",", ""))
    if match := _MAN.fullmatch(text):
        return int(match.group(1)) * 10_000
    raise ValueError(PAGE["amount_format"])


def typed_year(typed: object) -> object:
    """A fiscal year typed into a form, as the input schemas take it: a number if it is one
    (ASCII or full-width digits), otherwise as typed, for the schema to refuse in words."""
    if not isinstance(typed, str):
        return typed
    try:
        return whole_number(typed, low=FIRST_YEAR, high=LAST_YEAR)
    except ValueError:
        return typed


REMINDER_LISTS = ("application_close", "report_due")
REMINDER_DAYS = ("waiting_applicant_open_days", "waiting_review_open_days", "unsettled_days")


def collect_offsets(form: FormData) -> tuple[dict, dict[str, str]]:
    """A program's reminder offsets from its form: lists typed as ``14, 7, 1`` (full-width
    digits and 、 too), single numbers as typed; what cannot be read is a problem."""
    offsets, problems = {}, {}
    for name in REMINDER_LISTS + REMINDER_DAYS:
        typed = form.get(f"remind_{name}")
        if not isinstance(typed, str) or not typed.strip():
            continue
        parts = re.split(r"[,、\s]+", ascii_digits(typed).strip())
        if not all(_PLAIN.fullmatch(part) and len(part) <= 3 for part in parts) or (
                name in REMINDER_DAYS and len(parts) != 1):
            problems[f"reminder_offsets.{name}"] = PAGE["days_format"]
            continue
        days = [int(part) for part in parts]
        offsets[name] = days if name in REMINDER_LISTS else days[0]
    return offsets, problems


@dataclass(frozen=True)
class Widget:
    """How a field of an input schema is shown: its name, kind and whether it must be given."""

    name: str
    kind: str  # "yen", "date", "text", "line", "choice", "choices"
    required: bool


def widgets(schema: type[BaseModel], *, skip: frozenset[str] = frozenset()) -> list[Widget]:
    result = []
    for name, field in schema.model_fields.items():
        if name in skip:
            continue
        if name.endswith("_yen"):
            kind = "yen"
        elif name in DATES:
            kind = "date"
        elif name in MULTILINE:
            kind = "text"
        elif name == "actions":
            kind = "choices"
        elif name in CHOICE_LABELS:
            kind = "choice"
        else:
            kind = "line"
        result.append(Widget(name, kind, field.is_required()))
    return result


def collect(schema: type[BaseModel], form: FormData, *, skip: frozenset[str] = frozenset(),
            clear_empty: bool = False) -> tuple[dict, dict[str, str]]:
    """The values of a schema's fields from a posted form, and the amounts that could not be
    read (field -> message). Empty boxes are left out, or, when editing what is already
    there (``clear_empty``), clear the field."""
    data, problems = {}, {}
    for widget in widgets(schema, skip=skip):
        if widget.kind == "choices":
            data[widget.name] = form.getlist(widget.name)
            continue
        typed = form.get(widget.name)
        if not isinstance(typed, str) or typed.strip() == "":
            if clear_empty:
                data[widget.name] = None
            continue
        if widget.kind == "yen":
            try:
                data[widget.name] = parse_yen(typed)
            except ValueError as error:
                problems[widget.name] = str(error)
        else:
            data[widget.name] = typed
    return data, problems


def checked(schema: type[BaseModel], payload: dict, problems: dict[str, str]) -> None:
    """Refuse amounts that could not be read together with whatever else the schema finds
    wrong, so that every field's message shows at once."""
    if not problems:
        return
    try:
        parse(schema, {k: v for k, v in payload.items() if k not in problems})
    except InvalidInput as error:
        problems = {**error.problems, **problems}
    raise InvalidInput(message("invalid_input", problems="、".join(problems.values())),
                       problems=problems)


def shown(fields: list[Widget], typed: FormData | None = None, source: object = None) -> dict:
    """What each field's box shows: what was typed, if the form came back refused; else the
    value already stored (amounts with commas, dates as the date picker wants them)."""
    values = {}
    for widget in fields:
        if typed is not None:
            values[widget.name] = (typed.getlist(widget.name) if widget.kind == "choices"
                                   else typed.get(widget.name) or "")
            continue
        value = getattr(source, widget.name, None) if source is not None else None
        if value is None:
            values[widget.name] = [] if widget.kind == "choices" else ""
        elif widget.kind == "yen":
            values[widget.name] = f"{value:,}"
        elif widget.kind == "date":
            values[widget.name] = value.isoformat()
        else:
            values[widget.name] = value
    return values

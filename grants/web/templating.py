"""Jinja2 for the pages: autoescaped, strict about missing names, every word from
``grants.core.ja``, and the filters that turn the domain's values into what people read
(和暦 dates, Tokyo times, 1,000,000円, state labels for staff or for applicants)."""

from datetime import date, datetime
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from grants.core.actors import Actor, Role
from grants.core.clock import JST
from grants.core.dates import applications_close_text
from grants.core.ja.documents import FORM_NAMES
from grants.core.ja.labels import (
    ACCOUNT_TYPE_LABELS,
    ACTION_LABELS,
    CATEGORY_LABELS,
    CHOICE_LABELS,
    DECLARED_ACTION_LABELS,
    FIELD_LABELS,
    ROLE_LABELS,
    state_label,
    yen,
)
from grants.core.ja.notices import EMAIL_STATES, NOTICE_KINDS, NOTICE_WORDS
from grants.core.ja.pages import NEXT_STEPS, PAGE
from grants.core.wareki import fiscal_year_label, wareki_date
from grants.web import csrf

env = Environment(loader=PackageLoader("grants.web", "templates"),
                  autoescape=select_autoescape(default=True), undefined=StrictUndefined,
                  trim_blocks=True, lstrip_blocks=True)


def _wareki(day: date | None) -> str:
    return wareki_date(day) if day else PAGE["none"]


def _jst(moment: datetime | None) -> str:
    if moment is None:
        return PAGE["none"]
    local = moment.astimezone(JST)
    return f"{wareki_date(local.date())} {local:%H:%M}"


def _yen(amount: int | None) -> str:
    return yen(amount) if amount is not None else PAGE["none"]


env.filters.update(
    wareki=_wareki, jst=_jst, yen=_yen, fiscal_year=fiscal_year_label,
    category=lambda key: CATEGORY_LABELS.get(key or "", PAGE["none"]),
    declared=lambda keys: "、".join(DECLARED_ACTION_LABELS[k] for k in keys or []) or PAGE["none"],
    action=lambda key: ACTION_LABELS.get(key, key),
    role=lambda key: ROLE_LABELS.get(key, key),
    field=lambda key: FIELD_LABELS.get(key, key),
    deadline=applications_close_text,
)
env.globals.update(w=PAGE, n=NOTICE_WORDS, NOTICE_KINDS=NOTICE_KINDS,
                   EMAIL_STATES=EMAIL_STATES, ROLE_LABELS=ROLE_LABELS, CATEGORY_LABELS=CATEGORY_LABELS,
                   DECLARED_ACTION_LABELS=DECLARED_ACTION_LABELS, FORM_NAMES=FORM_NAMES,
                   CHOICE_LABELS=CHOICE_LABELS, ACCOUNT_TYPE_LABELS=ACCOUNT_TYPE_LABELS)


def state_for(state: str, actor: Actor | None) -> str:
    """The staff's word for a state, or the applicant's (SPEC §4)."""
    return state_label(state, for_applicant=actor is not None and actor.role is Role.applicant)


def _query(request: Request, changes: dict) -> str:
    """This page's query string with some parameters changed; a new filter starts the list
    from its first page."""
    params = {k: v for k, v in request.query_params.items() if k != "after"}
    params.update({k: str(v) for k, v in changes.items() if v is not None})
    return urlencode(params)


def render(request: Request, template: str, *, status: int = 200,
           me: Actor | None = None, headers: dict[str, str] | None = None,
           unread: int | None = None, **context) -> HTMLResponse:
    applicant = me is not None and me.role is Role.applicant
    html = env.get_template(template).render(
        request=request, me=me, unread=unread, csrf=csrf.token_for(request)[0],
        state=lambda key: state_for(key, me),
        next_step=lambda key: NEXT_STEPS[key][1 if applicant else 0],
        query=lambda **changes: _query(request, changes), **context)
    response = HTMLResponse(html, status_code=status, headers=headers)
    csrf.remember(request, response)
    return response

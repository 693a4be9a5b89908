"""Each person's first page: the municipality's grants and cap for an applicant; the review
queue, its counts and the year's cap use for the secretariat; every grant for an auditor;
programs and users for an admin."""

from datetime import datetime, timedelta, timezone
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grants.core import dates, queries
from grants.core.actors import Role
from grants.core.clock import japan_date, utcnow
from grants.core.dates import fiscal_year_of
from grants.core.fields import MunicipalityCode
from grants.core.models import Municipality, Org, Program
from grants.core.municipalities import list_municipalities
from grants.core.programs import list_programs
from grants.core.wareki import fiscal_year_label
from grants.http.params import ROW_ID_MAX, YearFilter
from grants.web import pictures
from grants.web.session import PageDep
from grants.web.templating import render
from workflows import deadlines
from workflows.machine import State
from workflows.table import waiting_for

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def home(page: PageDep,
               fiscal_year: YearFilter = None,
               municipality_code: Annotated[MunicipalityCode | None, Query()] = None,
               state: State | None = None,
               q: Annotated[str | None, Query(max_length=100)] = None,
               show: Annotated[str | None, Query(pattern=r"^(waiting|all)$")] = None,
               after: Annotated[str | None, Query(pattern=r"^[0-9]{1,20}-[0-9]{1,10}$")] = None
               ) -> Response:
    filters = {"fiscal_year": fiscal_year, "municipality_code": municipality_code,
               "state": state, "text": (q or "").strip() or None}

    def work(session, actor):
        if actor.role is Role.applicant:
            return {"view": "applicant", **_applicant(session, actor)}
        if actor.role is Role.admin:
            return {"view": "admin"}
        waiting = (show or ("waiting" if actor.role is Role.secretariat else "all")) == "waiting"
        return {"view": "queue", "waiting": waiting,
                **_queue(session, actor, filters, _cursor(after), waiting)}

    me, found = await page.read(work)
    if found["view"] == "admin":
        return RedirectResponse("/admin", status_code=303)
    template = "applicant_home.html" if found["view"] == "applicant" else "queue.html"
    return render(page.request, template, me=me, filters=filters, q=q or "", states=list(State),
                  **found)


def _applicant(session, actor) -> dict:
    municipality = session.get(Municipality, actor.municipality_code)
    committed = queries.committed_by_year(session, actor.municipality_code)
    rows = queries.municipality_grants(session, actor, actor.municipality_code)
    today = japan_date(utcnow())
    years = []
    for program in reversed(list_programs(session)):
        grants = [(grant, deadlines.next_due(grant, program)) for grant, p in rows
                  if p.fiscal_year == program.fiscal_year]
        held = committed.get(program.fiscal_year, 0)
        is_open = dates.takes_applications(program, today)
        if grants or is_open:
            years.append({"program": program, "grants": grants, "committed": held,
                          "left": max(program.cap_yen - held, 0), "open": is_open})
    return {"municipality": municipality, "years": years}


def _queue(session, actor, filters: dict, after, waiting: bool) -> dict:
    mine = waiting_for(Role.secretariat) if waiting and not filters["state"] else None
    found = queries.queue(session, actor, after=after, states=mine, **filters)
    org = session.get(Org, actor.org_id) if actor.org_id else None
    towns = list_municipalities(session, org_id=org.id if org else None)
    programs = list_programs(session)
    year = filters["fiscal_year"] or fiscal_year_of(japan_date(utcnow()))
    program = next((p for p in programs if p.fiscal_year == year), None)
    chart = None
    if org is not None and program is not None:
        chart = pictures.cap_use(queries.cap_use(session, org.id, year), program.cap_yen,
                                 fiscal_year_label(year))
    return {"org": org, "found": found, "municipalities": towns, "programs": programs,
            "program": program, "chart": chart, "next_cursor": _encode(found.page.next_after),
            "budget_left": _budget_left(program)}


def _budget_left(program: Program | None) -> int | None:
    if program is None or program.budget_yen is None:
        return None
    return max(program.budget_yen - program.committed_yen, 0)


EPOCH, MICROSECOND = datetime(1970, 1, 1, tzinfo=timezone.utc), timedelta(microseconds=1)


def _cursor(after: str | None) -> tuple[datetime, int] | None:
    """``after`` as the queue pages it: microseconds since 1970 and the grant id, exactly."""
    if after is None:
        return None
    micros, grant_id = (int(part) for part in after.split("-"))
    if grant_id > ROW_ID_MAX:  # no such grant: a cursor no page gave (the first page, then)
        return None
    try:
        return EPOCH + micros * MICROSECOND, grant_id
    except OverflowError:
        return None


def _encode(key) -> str | None:
    if key is None:
        return None
    moment, grant_id = key
    return f"{(moment - EPOCH) // MICROSECOND}-{grant_id}"

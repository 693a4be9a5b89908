"""The grant ledger's export page, for auditors, admins and the secretariat (its own org's
rows): the filters of GET /api/ledger, and the file downloaded from the page's session."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, StreamingResponse
from sqlmodel import select

from grants.core import access
from grants.core.fields import MunicipalityCode, OrgId
from grants.core.models import Org
from grants.core.municipalities import list_municipalities
from grants.core.programs import list_programs
from grants.http.downloads import content_disposition
from grants.http.params import YearFilter
from grants.publishing import ledger_files
from grants.publishing.ledger import LedgerFilter
from grants.publishing.ledger_files import MEDIA_TYPES, Format
from grants.web.session import PageDep
from workflows.machine import State

router = APIRouter(include_in_schema=False)



@router.get("/ledger", response_class=HTMLResponse)
async def ledger_page(page: PageDep) -> HTMLResponse:
    def work(session, actor) -> dict:
        access.may_export_ledger(actor).check()  # 403 for applicants, before anything is shown
        orgs = [] if actor.org_id else list(session.scalars(select(Org).order_by(Org.id)))
        return {"programs": list_programs(session), "orgs": orgs,
                "municipalities": list_municipalities(session, org_id=actor.org_id),
                "states": list(State)}
    return await page.show("ledger.html", work)


@router.get("/ledger/export")
async def ledger_export(page: PageDep, fiscal_year: YearFilter = None,
                        org: Annotated[OrgId | None, Query()] = None,
                        municipality_code: Annotated[MunicipalityCode | None, Query()] = None,
                        state: State | None = None,
                        format: Format = "csv",  # noqa: A002 - as in GET /api/ledger
                        ) -> StreamingResponse:
    where = LedgerFilter(fiscal_year, org, municipality_code, None if state is None else str(state))
    actor, count = await page.run(lambda session, actor: ledger_files.check(session, actor, where))
    return StreamingResponse(
        ledger_files.export(page.sessions.open, actor, where, format, count=count),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": content_disposition(ledger_files.filename(where, format)),
                 "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})

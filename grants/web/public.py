"""The public site under /public/ (SPEC §8): no sign-in, the published results only. Each
address reads just what its page shows; the pages themselves are the static copy's
(``grants.publishing.site``), so the live site and the one on the program's host are one."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from grants.core.fields import FIRST_YEAR, LAST_YEAR
from grants.core.settings import get_settings
from grants.http.sessions import Sessions, sessions
from grants.publishing import site
from grants.publishing.results import published

router = APIRouter(prefix="/public", include_in_schema=False)

Units = Annotated[Sessions, Depends(sessions)]


def _number(text: str, low: int, high: int) -> int:
    """A number in an address; anything else is a page that does not exist (404), as a
    reader who mistypes an address should be told, not a 422 about parameters."""
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text)
    raise site.absent()


async def _site(units: Sessions, **where) -> site.Site:
    def read() -> site.Site:
        with units.open("read") as session:
            return site.Site(published(session, **where), get_settings(), static=False)
    return await run_in_threadpool(read)


def _page(html: str) -> HTMLResponse:
    return HTMLResponse(html)


@router.get("/", response_class=HTMLResponse)
async def home(units: Units) -> HTMLResponse:
    return _page((await _site(units)).home())


@router.get("/public.css")
async def stylesheet() -> Response:
    return Response(site.stylesheet(), media_type="text/css; charset=utf-8")


@router.get("/feed.atom")
async def feed(units: Units) -> Response:
    return Response((await _site(units)).feed(), media_type="application/atom+xml; charset=utf-8")


@router.get("/{fiscal_year}/", response_class=HTMLResponse)
async def year(fiscal_year: str, units: Units) -> HTMLResponse:
    fiscal_year = _number(fiscal_year, FIRST_YEAR, LAST_YEAR)
    return _page((await _site(units, fiscal_year=fiscal_year)).year(fiscal_year))


@router.get("/{fiscal_year}/360giving.json")
async def open_data_json(fiscal_year: str, units: Units) -> Response:
    fiscal_year = _number(fiscal_year, FIRST_YEAR, LAST_YEAR)
    found = await _site(units, fiscal_year=fiscal_year)
    return Response(found.open_data(fiscal_year, "json"), media_type="application/json")


@router.get("/{fiscal_year}/360giving.csv")
async def open_data_csv(fiscal_year: str, units: Units) -> Response:
    fiscal_year = _number(fiscal_year, FIRST_YEAR, LAST_YEAR)
    found = await _site(units, fiscal_year=fiscal_year)
    return Response(found.open_data(fiscal_year, "csv"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="360giving-{fiscal_year}.csv"'})


@router.get("/municipalities/{code}/", response_class=HTMLResponse)
async def municipality(code: str, units: Units) -> HTMLResponse:
    if len(code) != 6:
        raise site.absent()
    _number(code, 0, 999_999)
    return _page((await _site(units, municipality_code=code)).municipality(code))


@router.get("/grants/{grant_id}/", response_class=HTMLResponse)
async def grant(grant_id: str, units: Units) -> HTMLResponse:
    grant_id = _number(grant_id, 1, 2**31 - 1)
    return _page((await _site(units, grant_id=grant_id)).grant(grant_id))

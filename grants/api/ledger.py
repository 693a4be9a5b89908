"""The grant ledger (助成金台帳) as CSV, XLSX or JSON, streamed (auditors, admins, and the
secretariat for its own org)."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from grants.api.deps import LedgerCall
from grants.api.errors import RESPONSES
from grants.core.fields import MunicipalityCode, OrgId
from grants.http.downloads import content_disposition
from grants.http.params import YearFilter
from grants.publishing import ledger_files
from grants.publishing.ledger import LedgerFilter
from grants.publishing.ledger_files import MEDIA_TYPES, Format
from workflows.machine import State

router = APIRouter(prefix="/api/ledger", tags=["ledger"], responses=RESPONSES)


@router.get("", response_class=StreamingResponse,
            responses={200: {"content": {t: {} for t in MEDIA_TYPES.values()}}})
async def export_ledger(
    call: LedgerCall,
    fiscal_year: YearFilter = None,
    org: Annotated[OrgId | None, Query()] = None,
    municipality_code: Annotated[MunicipalityCode | None, Query()] = None,
    state: State | None = None,
    format: Format = "csv",  # noqa: A002 - the name the issue and the page use
) -> StreamingResponse:
    """One row per grant (SPEC §8). The export is recorded in the audit trail with its filter,
    number of rows and the file's SHA-256, once the file has been sent whole."""
    where = LedgerFilter(fiscal_year, org, municipality_code, None if state is None else str(state))
    actor, count = await call(lambda session, actor: (
        actor, ledger_files.check(session, actor, where)))
    return StreamingResponse(
        ledger_files.export(call.sessions.open, actor, where, format, count=count),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": content_disposition(ledger_files.filename(where, format)),
                 "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})

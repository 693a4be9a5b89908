"""The auditors' check of the record, from the page: the hash chain of the audit trail and
every issued document against it, as ``grants audit verify`` and ``grants documents verify``
do on the command line."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from forms import issue
from grants.core import access
from grants.web.session import PageDep
from workflows import audit

router = APIRouter(include_in_schema=False)


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(page: PageDep, check: bool = False) -> HTMLResponse:
    def work(session, actor) -> dict:
        access.may_audit(actor).check()
        if not check:
            return {"trail": None, "documents": None}
        count, mismatches = issue.verify(session)
        return {"trail": audit.verify(session), "documents": {"count": count,
                                                              "mismatches": mismatches}}
    return await page.show("audit.html", work)

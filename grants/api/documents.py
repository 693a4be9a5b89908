"""Issued documents (様式): list per grant and download, for the people who may see it."""


from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from forms import issue
from forms.issue import DOCX, PDF, filename
from grants.api.deps import CallDep
from grants.api.errors import RESPONSES, ErrorOut
from grants.api.schemas import DocumentPage, document_out, page_out
from grants.core import queries
from grants.http.downloads import download
from grants.http.params import After, Id, Limit

router = APIRouter(prefix="/api", tags=["documents"], responses=RESPONSES)


@router.get("/grants/{grant_id}/documents", response_model=DocumentPage)
async def list_documents(grant_id: Id, call: CallDep, after: After = None,
                         limit: Limit = 100) -> DocumentPage:
    """The forms issued for a grant, oldest first (without their contents)."""
    def work(session, actor):
        page = queries.documents_page(session, actor, grant_id, after=after, limit=limit)
        return page_out(DocumentPage, page, document_out)
    return await call(work)


@router.get("/documents/{document_id}", response_class=Response,
            responses={200: {"content": {DOCX: {}}}})
async def download_document(document_id: Id, call: CallDep) -> Response:
    """The .docx exactly as issued."""
    def work(session, actor):
        document, municipality = queries.document_file(session, actor, document_id)
        return download(document.content, DOCX, filename(document, municipality))
    return await call(work)


@router.get("/documents/{document_id}/pdf", response_class=Response,
            responses={200: {"content": {PDF: {}}}, 503: {
                "model": ErrorOut, "description": "LibreOffice is missing here or could not convert"}})
async def download_pdf(document_id: Id, call: CallDep) -> Response:
    """The document as PDF, made by LibreOffice from the .docx as issued the first time it is
    asked for, then kept as made (its SHA-256 in the audit trail)."""
    return await pdf_response(call, document_id)


async def pdf_response(call: CallDep, document_id: int) -> Response:
    """Shared with the pages: read (and check who asks), convert outside any transaction,
    keep the PDF in a transaction of its own."""
    actor, asked = await call(lambda session, actor: (actor, issue.pdf_of(session, actor, document_id)))
    content = asked.pdf or await run_in_threadpool(issue.make_pdf, call.sessions.open, actor, asked)
    return download(content, PDF, asked.filename)

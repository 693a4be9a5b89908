"""Issued documents (様式): list per grant and download, for the people who may see it."""

from fastapi import APIRouter
from fastapi.responses import Response

from forms.issue import DOCX, filename
from grants import queries
from grants.api.deps import CallDep, Id
from grants.api.errors import RESPONSES
from grants.api.schemas import After, DocumentPage, Limit, document_out, page_out
from grants.downloads import download

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

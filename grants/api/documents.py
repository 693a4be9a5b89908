"""Issued documents (様式): list per grant and download, for the people who may see it."""

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import select

from forms.issue import DOCX, filename
from grants.access import readable_grant
from grants.api.deps import CallDep, Id
from grants.api.errors import RESPONSES
from grants.api.files import download
from grants.errors import NotFound
from grants.ja import message
from grants.models import Document

router = APIRouter(prefix="/api", tags=["documents"], responses=RESPONSES)


class DocumentOut(BaseModel):
    id: int
    form: int
    title: str
    number: str | None
    sha256: str
    issued_on: str
    issued_at: str


def _out(document: Document) -> DocumentOut:
    return DocumentOut(id=document.id, form=document.form, title=document.title,
                       number=document.number, sha256=document.sha256,
                       issued_on=document.issued_on.isoformat(),
                       issued_at=document.issued_at.isoformat())


@router.get("/grants/{grant_id}/documents", response_model=list[DocumentOut])
async def list_documents(grant_id: Id, call: CallDep) -> list[DocumentOut]:
    """The forms issued for a grant, oldest first."""
    def work(session, actor):
        readable_grant(session, actor, grant_id)
        rows = session.scalars(select(Document).where(Document.grant_id == grant_id)
                               .order_by(Document.id))
        return [_out(d) for d in rows]
    return await call(work)


@router.get("/documents/{document_id}", response_class=Response,
            responses={200: {"content": {DOCX: {}}}})
async def download_document(document_id: Id, call: CallDep) -> Response:
    """The .docx exactly as issued."""
    def work(session, actor):
        document = session.get(Document, document_id)
        if document is None:
            raise NotFound(message("document_not_found"), code="document_not_found")
        _, municipality = readable_grant(session, actor, document.grant_id)
        return download(document.content, DOCX, filename(document, municipality))
    return await call(work)

"""Attachments: upload, list and download, for the people who may see the grant."""

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import Response

from grants.api.deps import CallDep
from grants.api.errors import RESPONSES
from grants.api.schemas import AttachmentOut, AttachmentPage, attachment_out, page_out
from grants.core import attachments, queries
from grants.http.downloads import download
from grants.http.params import After, Id, Limit
from workflows.attachments import attach

router = APIRouter(prefix="/api", tags=["attachments"], responses=RESPONSES)


@router.post("/grants/{grant_id}/attachments", response_model=AttachmentOut, status_code=201)
async def upload(grant_id: Id, call: CallDep, file: Annotated[UploadFile, File(
        description="a real PDF, JPEG, PNG, XLSX or DOCX file (judged by its content) of 10 MB "
                    "at most", json_schema_extra={"minLength": 1, "maxLength": attachments.MAX_BYTES})]
                 ) -> AttachmentOut:
    """Attach a PDF, JPEG, PNG, XLSX or DOCX file of at most 10 MB. Its content decides: a
    PDF that parses, an image that decodes, a Word document or workbook that opens (422
    otherwise, naming what is wrong)."""
    content = await file.read(attachments.MAX_BYTES + 1)

    def work(session, actor):
        return attachment_out(attach(session, grant_id, actor, file.filename, content))
    return await call(work)


@router.get("/grants/{grant_id}/attachments", response_model=AttachmentPage)
async def list_attachments(grant_id: Id, call: CallDep, after: After = None,
                           limit: Limit = 100) -> AttachmentPage:
    """The files attached to a grant, oldest first (without their contents)."""
    def work(session, actor):
        page = queries.attachments_page(session, actor, grant_id, after=after, limit=limit)
        return page_out(AttachmentPage, page, attachment_out)
    return await call(work)


@router.get("/attachments/{attachment_id}", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}})
async def download_attachment(attachment_id: Id, call: CallDep) -> Response:
    def work(session, actor):
        record = queries.attachment_file(session, actor, attachment_id)
        return download(record.content, record.content_type, record.filename)
    return await call(work)

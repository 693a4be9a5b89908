"""Attachments: upload, list and download, for the people who may see the grant."""

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import Response

from grants import attachments
from grants.access import readable_grant
from grants.api.deps import CallDep, Id
from grants.api.errors import RESPONSES
from grants.api.files import download
from grants.api.schemas import AttachmentOut, attachment_out
from grants.errors import Forbidden
from grants.ja import ROLE_LABELS, message
from workflows.actors import Role

router = APIRouter(prefix="/api", tags=["attachments"], responses=RESPONSES)


@router.post("/grants/{grant_id}/attachments", response_model=AttachmentOut, status_code=201)
async def upload(grant_id: Id, file: Annotated[UploadFile, File()], call: CallDep) -> AttachmentOut:
    """Attach a PDF, JPEG, PNG, XLSX or DOCX file of at most 10 MB."""
    content = await file.read(attachments.MAX_BYTES + 1)

    def work(session, actor):
        grant, _ = readable_grant(session, actor, grant_id)
        if actor.role not in (Role.applicant, Role.secretariat):
            raise Forbidden(message("read_only_role", role=ROLE_LABELS[actor.role]),
                            code="read_only_role")
        return attachment_out(attachments.attach(session, grant, actor, file.filename, content))
    return await call(work)


@router.get("/grants/{grant_id}/attachments", response_model=list[AttachmentOut])
async def list_attachments(grant_id: Id, call: CallDep) -> list[AttachmentOut]:
    def work(session, actor):
        grant, _ = readable_grant(session, actor, grant_id)
        return [attachment_out(a) for a in attachments.list_for(session, grant)]
    return await call(work)


@router.get("/attachments/{attachment_id}", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}})
async def download_attachment(attachment_id: Id, call: CallDep) -> Response:
    def work(session, actor):
        record = attachments.get(session, attachment_id)
        readable_grant(session, actor, record.grant_id)
        return download(record.content, record.content_type, record.filename)
    return await call(work)

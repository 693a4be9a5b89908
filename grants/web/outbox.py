"""The admin's view of e-mail that could not be delivered: every notice whose e-mail failed
after its last try, with the error, and the way to send it again (as ``grants notifications
list --failed`` and ``grants notifications requeue`` do)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from grants.core import access
from grants.core.clock import utcnow
from grants.core.models import Notification
from grants.core.schemas import RequeueChoice
from grants.core.validation import parse
from grants.web.session import PageDep, see_other
from notifications import delivery, messages

router = APIRouter(prefix="/admin/notifications", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
async def failed_page(page: PageDep, done: int | None = None) -> HTMLResponse:
    def work(session, actor) -> dict:
        access.may_administer(actor).check()
        failed = messages.notices(session, Notification.email_state == "failed",
                                  order=[Notification.id.desc()], limit=200)
        return {"failed": failed, "requeued": done}
    return await page.show("outbox.html", work)


@router.post("/requeue")
async def requeue(request: Request, page: PageDep) -> Response:
    typed = (await request.form()).getlist("id")

    def work(session, actor) -> int:
        access.may_administer(actor).check()
        # What is not a row's number is refused with a message, never read as "none
        # chosen" (which sends every failed e-mail again).
        chosen = parse(RequeueChoice, {"ids": typed}).ids
        return delivery.requeue(session, chosen or None, now=utcnow())
    _, count = await page.run(work, write=True)
    return see_other(f"/admin/notifications?done={count}")

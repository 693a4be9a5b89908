"""The admin's view of e-mail that could not be delivered: every notice whose e-mail failed
after its last try, with the error, and the way to send it again (as ``grants notifications
list --failed`` and ``grants notifications requeue`` do)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from grants.access import require_admin
from grants.clock import utcnow
from grants.models import Notification
from grants.web.session import PageDep, see_other
from notifications import delivery, messages

router = APIRouter(prefix="/admin/notifications", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
async def failed_page(page: PageDep, done: int | None = None) -> HTMLResponse:
    def work(session, actor) -> dict:
        require_admin(actor)
        failed = messages.notices(session, Notification.email_state == "failed",
                                  order=[Notification.id.desc()], limit=200)
        return {"failed": failed, "requeued": done}
    return await page.show("outbox.html", work)


@router.post("/requeue")
async def requeue(request: Request, page: PageDep) -> Response:
    form = await request.form()
    chosen = [int(v) for v in form.getlist("id") if isinstance(v, str) and v.isdigit()
              and len(v) <= 10]

    def work(session, actor) -> int:
        require_admin(actor)
        return delivery.requeue(session, chosen or None, now=utcnow())
    _, count = await page.run(work, write=True)
    return see_other(f"/admin/notifications?done={count}")

"""Each person's notices (お知らせ): the list, newest first, marked read one by one or all at
once, the choice of receiving them by e-mail too, and the private calendar feed of their
deadlines. Only one's own: another person's notice is not found."""

from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, Response

from grants.core import access
from grants.core.clock import utcnow
from grants.core.settings import get_settings
from grants.http.params import After, Id
from grants.web.session import PageDep, see_other
from notifications import calendar_feed, inbox

router = APIRouter(include_in_schema=False)


def _inbox(session, actor, *, unread: bool = False, after: int | None = None) -> dict:
    wants, address = inbox.email_choice(session, actor)
    return {"notices": inbox.page(session, actor, unread_only=unread, after=after),
            "unread_only": unread, "wants_email": wants, "address": address,
            "calendar_roles": bool(access.may_keep_calendar(actor)),
            "has_calendar": calendar_feed.has_feed(session, actor), "calendar_url": None}


@router.get("/notifications", response_class=HTMLResponse)
async def notices_page(page: PageDep, unread: bool = False, after: After = None,
                       done: Annotated[str | None, Query(pattern=r"^(saved|revoked)$")] = None
                       ) -> Response:
    return await page.show("notifications.html",
                           lambda s, a: _inbox(s, a, unread=unread, after=after), done=done)


@router.post("/notifications/calendar", response_class=HTMLResponse)
async def issue_calendar(page: PageDep) -> Response:
    """The new address is shown on this answer only (never in a URL one could bookmark)."""
    _, secret = await page.run(lambda s, a: calendar_feed.issue(s, a), write=True)
    url = f"{get_settings().base_url.rstrip('/')}/calendar/{secret}.ics"
    return await page.show("notifications.html", lambda s, a: _inbox(s, a) | {
        "calendar_url": url}, done=None, headers={"Cache-Control": "no-store"})


@router.post("/notifications/calendar/revoke")
async def revoke_calendar(page: PageDep) -> Response:
    await page.run(calendar_feed.revoke, write=True)
    return see_other("/notifications?done=revoked")


@router.get("/calendar/{secret}.ics")
async def calendar(page: PageDep, secret: str) -> Response:
    """The feed itself, fetched by calendar programs without signing in."""
    content = await page.anonymous(lambda s: calendar_feed.feed(
        s, secret, base_url=get_settings().base_url, now=utcnow()), write=False)
    return Response(content, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, no-cache"})


@router.post("/notifications/{notice_id}/read")
async def read_one(page: PageDep, notice_id: Id
                   ) -> Response:
    await page.run(lambda s, a: inbox.mark_read(s, a, notice_id, now=utcnow()), write=True)
    return see_other("/notifications")


@router.post("/notifications/read-all")
async def read_all(page: PageDep) -> Response:
    await page.run(lambda s, a: inbox.mark_all_read(s, a, now=utcnow()), write=True)
    return see_other("/notifications")


@router.post("/notifications/email")
async def email_choice(page: PageDep, email: Annotated[str, Form(pattern=r"^(on|off)$")]
                       ) -> Response:
    await page.run(lambda s, a: inbox.set_email_choice(s, a, email == "on"), write=True)
    return see_other("/notifications?done=saved")

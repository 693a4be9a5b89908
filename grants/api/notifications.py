"""The signed-in person's notices (the in-app inbox) and their e-mail choice."""

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from grants.api.deps import CallDep
from grants.api.errors import RESPONSES
from grants.core.clock import utcnow
from grants.core.ja.notices import NOTICE_KINDS
from grants.core.schemas import EmailChoice
from grants.core.settings import get_settings
from grants.http.params import After, Id
from notifications import calendar_feed, inbox
from notifications.messages import Notice

router = APIRouter(prefix="/api/notifications", tags=["notifications"], responses=RESPONSES)


class NoticeOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    subject: str
    text: str
    facts: list[tuple[str, str]]
    link: str  # the page it is about, on this site
    created_at: datetime
    read_at: datetime | None
    email_state: str


class NoticePage(BaseModel):
    items: list[NoticeOut]
    next_after: int | None
    unread: int


class EmailChoiceOut(BaseModel):
    email_notifications: bool
    email: str | None


def _out(notice: Notice) -> NoticeOut:
    return NoticeOut(id=notice.id, kind=notice.kind, kind_label=NOTICE_KINDS[notice.kind],
                     subject=notice.subject, text=notice.lead, facts=notice.facts,
                     link=notice.path, created_at=notice.created_at, read_at=notice.read_at,
                     email_state=notice.email_state)


@router.get("", response_model=NoticePage)
async def list_notices(call: CallDep, unread: bool = False, after: After = None) -> NoticePage:
    """The caller's notices, newest first, twenty at a time, with the count still unread."""
    def work(session, actor):
        page = inbox.page(session, actor, unread_only=unread, after=after)
        return NoticePage(items=[_out(n) for n in page.items], next_after=page.next_after,
                          unread=inbox.unread_count(session, actor))
    return await call(work)


@router.post("/{notice_id}/read", status_code=204)
async def mark_read(call: CallDep, notice_id: Id) -> None:
    """Mark one of the caller's notices read (404 for anyone else's)."""
    await call(lambda session, actor: inbox.mark_read(session, actor, notice_id, now=utcnow()))


@router.post("/read-all", status_code=204)
async def mark_all_read(call: CallDep) -> None:
    await call(lambda session, actor: inbox.mark_all_read(session, actor, now=utcnow()))


@router.get("/email", response_model=EmailChoiceOut)
async def get_email_choice(call: CallDep) -> EmailChoiceOut:
    wanted, address = await call(inbox.email_choice)
    return EmailChoiceOut(email_notifications=wanted, email=address)


@router.put("/email", response_model=EmailChoiceOut)
async def put_email_choice(call: CallDep, choice: EmailChoice) -> EmailChoiceOut:
    """Receive notices by e-mail as well as here, or here only."""
    def work(session, actor):
        inbox.set_email_choice(session, actor, choice.email_notifications)
        return inbox.email_choice(session, actor)
    wanted, address = await call(work)
    return EmailChoiceOut(email_notifications=wanted, email=address)


class CalendarOut(BaseModel):
    url: str  # shown this once: only its hash is kept


@router.post("/calendar", response_model=CalendarOut, status_code=201)
async def issue_calendar(call: CallDep) -> CalendarOut:
    """A new private address of the caller's deadline calendar (.ics); the previous one
    stops working. Applicants and secretariat only."""
    secret = await call(calendar_feed.issue)
    return CalendarOut(url=f"{get_settings().base_url.rstrip('/')}/calendar/{secret}.ics")


@router.delete("/calendar", status_code=204)
async def revoke_calendar(call: CallDep) -> None:
    """Stop the caller's calendar address."""
    await call(calendar_feed.revoke)

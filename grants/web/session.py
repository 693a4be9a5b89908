"""Who is at the keyboard: a session cookie naming a server-side session (a token of kind
``web``, stored hashed, ended by sign-out, expiry or an admin disabling the user), and the
``Page`` that runs a page's database work for them, as ``Call`` does for the API."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session

from grants.core.actors import Actor
from grants.core.users import resolve_token
from grants.http.sessions import Sessions, sessions
from grants.web.csrf import SESSION_COOKIE
from grants.web.templating import render
from notifications import inbox

COOKIE = SESSION_COOKIE
T = TypeVar("T")


class SignInRequired(Exception):
    """No current session: the page sends the person to sign in, and back afterwards."""


class EnrolmentRequired(Exception):
    """A session for setting up two-factor sign-in, on any other page: to the account page."""


@dataclass(frozen=True)
class Page:
    request: Request
    sessions: Sessions

    @property
    def token(self) -> str | None:
        return self.request.cookies.get(COOKIE)

    async def run(self, work: Callable[[Session, Actor], T], *, write: bool = False,
                  enrolling: bool = False) -> tuple[Actor, T]:
        """``work(session, actor)`` in one unit of work, for the signed-in person (and, where
        ``enrolling``, for one signed in only to set up two-factor sign-in)."""
        return await run_in_threadpool(self._run, work, write, enrolling)

    async def read(self, work: Callable[[Session, Actor], dict], *,
                   enrolling: bool = False) -> tuple[Actor, dict]:
        """What a page shows, with the count of the person's unread notices for its header."""
        def with_unread(session: Session, actor: Actor) -> dict:
            return work(session, actor) | {"unread": inbox.unread_count(session, actor)}
        return await self.run(with_unread, enrolling=enrolling)

    async def show(self, template: str, work: Callable[[Session, Actor], dict], *,
                   status: int = 200, enrolling: bool = False, headers=None,
                   **context) -> HTMLResponse:
        """Read what a page shows, then render it for the person who asked."""
        me, found = await self.read(work, enrolling=enrolling)
        return render(self.request, template, status=status, me=me, headers=headers,
                      **(found | context))

    async def anonymous(self, work: Callable[[Session], T], *, write: bool) -> T:
        def unit() -> T:
            with self.sessions.open("write" if write else "read") as session:
                return work(session)
        return await run_in_threadpool(unit)

    async def who(self) -> Actor | None:
        """The signed-in person, if any (the sign-in page asks, to offer a way home)."""
        if not self.token:
            return None
        return await self.anonymous(lambda s: resolve_token(s, self.token, kind="web"), write=False)

    def _run(self, work: Callable[[Session, Actor], T], write: bool,
             enrolling: bool = False) -> tuple[Actor, T]:
        with self.sessions.open("write" if write else "read") as session:
            actor = resolve_token(session, self.token, kind="web") if self.token else None
            if actor is None:
                raise SignInRequired
            if actor.enrolling and not enrolling:
                raise EnrolmentRequired
            return actor, work(session, actor)


async def page(request: Request, units: Annotated[Sessions, Depends(sessions)]) -> Page:
    return Page(request, units)


PageDep = Annotated[Page, Depends(page)]


def see_other(url: str) -> RedirectResponse:
    """After a form is taken: the next page by GET, so that reloading repeats nothing."""
    return RedirectResponse(url, status_code=303)

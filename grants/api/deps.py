"""One request, one unit of work, one trip to the thread pool.

An endpoint hands its database work to ``Call``: in a worker thread it opens a unit of
work, resolves the caller's token, runs the work and commits (or rolls back if the work
raises) before the response is built, so a client never reads a state older than the one it
was just told about. Doing it in one trip matters: every hop between the event loop and the
thread pool costs more than the queries of a typical request. On SQLite a request that may
write takes the write lock up front."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Annotated, TypeVar

from fastapi import Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from grants.db import get_engine, unit_of_work
from grants.errors import Forbidden, Unauthorized
from grants.ja import message
from grants.users import resolve_token
from workflows.actors import Actor, Role

READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}

# Path parameters within what the database can hold: a larger id is a 422, not an overflow.
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
FiscalYear = Annotated[int, Path(ge=2000, le=2100)]

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)
T = TypeVar("T")
Sessions = Callable[[bool], AbstractContextManager[Session]]


async def sessions() -> Sessions:
    """Where units of work come from (tests put theirs here)."""
    return lambda write: unit_of_work(get_engine(), write=write)


@dataclass(frozen=True)
class Call:
    token: str | None
    write: bool
    sessions: Sessions

    async def __call__(self, work: Callable[[Session, Actor], T]) -> T:
        """Run ``work(session, actor)`` for the signed-in caller, or answer 401."""
        return await run_in_threadpool(self._authenticated, work)

    async def anonymous(self, work: Callable[[Session], T], *, write: bool | None = None) -> T:
        """Run ``work(session)`` without a signed-in caller (sign-in itself)."""
        call = self if write is None else replace(self, write=write)
        return await run_in_threadpool(call._run, work)

    def _authenticated(self, work: Callable[[Session, Actor], T]) -> T:
        def as_caller(session: Session) -> T:
            actor = resolve_token(session, self.token) if self.token else None
            if actor is None:
                raise Unauthorized(message("not_authenticated"), code="not_authenticated")
            return work(session, actor)
        return self._run(as_caller)

    def _run(self, work: Callable[[Session], T]) -> T:
        with self.sessions(self.write) as session:
            return work(session)


async def call(request: Request, token: Annotated[str | None, Depends(oauth2)],
               units: Annotated[Sessions, Depends(sessions)]) -> Call:
    return Call(token, request.method not in READ_ONLY_METHODS, units)


CallDep = Annotated[Call, Depends(call)]


def require_admin(actor: Actor) -> None:
    if actor.role is not Role.admin:
        raise Forbidden(message("admin_only"), code="wrong_role")


def require_auditor_or_admin(actor: Actor) -> None:
    if actor.role not in (Role.auditor, Role.admin):
        raise Forbidden(message("auditors_only"), code="wrong_role")

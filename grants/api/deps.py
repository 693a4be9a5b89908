"""One request, one unit of work, one trip to the thread pool.

An endpoint hands its database work to ``Call``: in a worker thread it opens a unit of
work, resolves the caller's token, runs the work and commits (or rolls back if the work
raises) before the response is built, so a client never reads a state older than the one it
was just told about. Doing it in one trip matters: every hop between the event loop and the
thread pool costs more than the queries of a typical request. On SQLite a request that may
write takes the write lock up front; a read of one grant is one statement, with no
transaction around it."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Annotated, Literal, TypeVar

from fastapi import Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from grants import access, queries
from grants.actors import Actor
from grants.db import get_engine, single_read, unit_of_work
from grants.errors import Unauthorized
from grants.ja import message
from grants.models import Grant, Municipality
from grants.users import resolve_token, token_digest

READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}

# Path parameters within what the database can hold: a larger id is a 422, not an overflow.
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
FiscalYear = Annotated[int, Path(ge=2000, le=2100)]

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)
T = TypeVar("T")
Mode = Literal["write", "read", "single"]
Sessions = Callable[[Mode], AbstractContextManager[Session]]


async def sessions() -> Sessions:
    """Where units of work come from (tests put theirs here)."""
    def unit(mode: Mode) -> AbstractContextManager[Session]:
        if mode == "single":
            return single_read(get_engine())
        return unit_of_work(get_engine(), write=mode == "write")
    return unit


@dataclass(frozen=True)
class Call:
    token: str | None
    mode: Mode
    sessions: Sessions
    client: str = ""  # the caller's address, for counting failed sign-ins

    async def __call__(self, work: Callable[[Session, Actor], T]) -> T:
        """Run ``work(session, actor)`` for the signed-in caller, or answer 401."""
        return await run_in_threadpool(self._authenticated, work)

    async def grant(self, grant_id: int,
                    work: Callable[[Session, Actor, Grant, Municipality], T]) -> T:
        """Run ``work`` on a grant the signed-in caller may read: the caller and the grant
        come from one statement, so a GET needs no other."""
        call = replace(self, mode="single") if self.mode == "read" else self
        return await run_in_threadpool(call._with_grant, grant_id, work)

    async def anonymous(self, work: Callable[[Session], T], *, mode: Mode | None = None) -> T:
        """Run ``work(session)`` without a signed-in caller (sign-in itself)."""
        call = self if mode is None else replace(self, mode=mode)
        return await run_in_threadpool(call._run, work)

    def _authenticated(self, work: Callable[[Session, Actor], T]) -> T:
        def as_caller(session: Session) -> T:
            return work(session, _signed_in(resolve_token(session, self.token) if self.token else None))
        return self._run(as_caller)

    def _with_grant(self, grant_id: int, work) -> T:
        def as_caller(session: Session) -> T:
            actor, grant, municipality = (queries.grant_for_token(session, token_digest(self.token), grant_id)
                                          if self.token else (None, None, None))
            actor = _signed_in(actor)
            if grant is None:
                raise access.not_found()
            access.check_read(actor, municipality.code, municipality.org_id)
            return work(session, actor, grant, municipality)
        return self._run(as_caller)

    def _run(self, work: Callable[[Session], T]) -> T:
        with self.sessions(self.mode) as session:
            return work(session)


def _signed_in(actor: Actor | None) -> Actor:
    if actor is None:
        raise Unauthorized(message("not_authenticated"), code="not_authenticated")
    return actor


async def call(request: Request, token: Annotated[str | None, Depends(oauth2)],
               units: Annotated[Sessions, Depends(sessions)]) -> Call:
    mode: Mode = "read" if request.method in READ_ONLY_METHODS else "write"
    return Call(token, mode, units, request.client.host if request.client else "")


CallDep = Annotated[Call, Depends(call)]

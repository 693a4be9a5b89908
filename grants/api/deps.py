"""One request, one unit of work, one trip to the thread pool, or none.

An endpoint hands its database work to ``Call``: in a worker thread it opens a unit of
work, resolves the caller's token, runs the work and commits (or rolls back if the work
raises) before the response is built, so a client never reads a state older than the one it
was just told about. Doing it in one trip matters: every hop between the event loop and the
thread pool costs more than the queries of a typical request. On SQLite a request that may
write takes the write lock up front.

Reading one grant, the commonest request, is one statement (token, person and grant
together) with no transaction around it, and it does not leave the event loop: the hop to a
worker thread, and the fight for the GIL that comes with it, would cost more than the read.
On SQLite it runs right there, on a connection of the loop's own: the file is local and in
WAL mode a reader never waits for a writer. On PostgreSQL it is awaited with psycopg's async
I/O, so the loop goes on serving while the statement crosses the network."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from grants.core import access, queries
from grants.core.access import Permission
from grants.core.actors import Actor
from grants.core.errors import Unauthorized
from grants.core.ja.messages import message
from grants.core.queries import GrantView
from grants.core.users import resolve_token, token_digest
from grants.http.sessions import Mode, Sessions, sessions

READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Call:
    token: str | None
    mode: Mode
    sessions: Sessions
    client: str = ""  # the caller's address, for counting failed sign-ins
    requires: Callable[[Actor], Permission] | None = None  # a role-only route's permission

    async def __call__(self, work: Callable[[Session, Actor], T],
                       then: Callable[..., R] | None = None) -> T | R:
        """Run ``work(session, actor)`` for the signed-in caller, or answer 401; then, once
        the unit of work has committed, ``then(*result)`` in the same trip to the pool.
        Building the answer after the commit keeps it out of the transaction: an action's
        transaction holds the audit trail's head until it commits, so every moment in it
        is a moment every other action waits."""
        return await run_in_threadpool(self._authenticated, work, then)

    async def grant(self, grant_id: int, show: Callable[[GrantView, Actor], T]) -> T:
        """Show a grant the signed-in caller may read, read with one statement."""
        if not self.token:
            raise _not_signed_in()
        actor, view = queries.grant_for_token(await self.sessions.read_one(
            queries.GRANT_FOR_TOKEN,
            {"token_hash": token_digest(self.token), "kind": "api", "grant_id": grant_id}))
        if actor is None:
            raise _not_signed_in()
        if view is None:
            raise access.not_found()
        access.may_read(actor, view.municipality_code, view.org_id).check()
        return show(view, actor)

    async def anonymous(self, work: Callable[[Session], T], *, mode: Mode | None = None) -> T:
        """Run ``work(session)`` without a signed-in caller (sign-in itself)."""
        call = self if mode is None else replace(self, mode=mode)
        return await run_in_threadpool(call._run, work)

    def _authenticated(self, work: Callable[[Session, Actor], T],
                       then: Callable[..., R] | None = None) -> T | R:
        def as_caller(session: Session) -> T:
            actor = _signed_in(resolve_token(session, self.token) if self.token else None)
            if self.requires is not None:
                self.requires(actor).check()
            return work(session, actor)
        result = self._run(as_caller)
        return result if then is None else then(*result)

    def _run(self, work: Callable[[Session], T]) -> T:
        with self.sessions.open(self.mode) as session:
            return work(session)


def _signed_in(actor: Actor | None) -> Actor:
    if actor is None:
        raise _not_signed_in()
    return actor


def _not_signed_in() -> Unauthorized:
    return Unauthorized(message("not_authenticated"), code="not_authenticated")


async def call(request: Request, token: Annotated[str | None, Depends(oauth2)],
               units: Annotated[Sessions, Depends(sessions)]) -> Call:
    mode: Mode = "read" if request.method in READ_ONLY_METHODS else "write"
    return Call(token, mode, units, request.client.host if request.client else "")


CallDep = Annotated[Call, Depends(call)]


def _requiring(permission: Callable[[Actor], Permission]) -> Callable[[Call], Awaitable[Call]]:
    async def dependency(call: CallDep) -> Call:
        return replace(call, requires=permission)
    return dependency


# Role-only routes say who may call them in their signature (and so in the OpenAPI schema's
# descriptions and to a reviewer): the same permissions the pages ask.
AdminCall = Annotated[Call, Depends(_requiring(access.may_administer))]
AuditorCall = Annotated[Call, Depends(_requiring(access.may_audit))]
LedgerCall = Annotated[Call, Depends(_requiring(access.may_export_ledger))]

"""Where a request's units of work and single-statement reads come from, for the API and the
pages alike. A FastAPI dependency, so that tests can put theirs in its place."""

from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Executable
from sqlmodel import Session

from grants.core.db import Values, get_engine, loop_engine, read_one, read_one_async, unit_of_work

Mode = Literal["write", "read"]
ReadOne = Callable[[Executable, dict], Awaitable[Values | None]]


@dataclass(frozen=True)
class Sessions:
    """Where units of work and single-statement reads come from (tests put theirs here)."""

    open: Callable[[Mode], AbstractContextManager[Session]]
    read_one: ReadOne


def _open(mode: Mode) -> AbstractContextManager[Session]:
    return unit_of_work(get_engine(), write=mode == "write")


async def _read_on_the_loop(statement: Executable, params: dict) -> Values | None:
    return read_one(loop_engine(), statement, params)


READERS: dict[str, ReadOne] = {"sqlite": _read_on_the_loop, "postgresql": read_one_async}


async def sessions() -> Sessions:
    return Sessions(_open, READERS[get_engine().dialect.name])

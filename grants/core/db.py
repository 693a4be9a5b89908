"""Engines and units of work.

A unit of work commits on success and rolls back on error; services never commit. A read
that is a single statement needs no transaction at all (the statement sees one snapshot by
itself), which on PostgreSQL saves the round trips of BEGIN and COMMIT: ``read_one``.
On SQLite a *write* unit of work starts with ``BEGIN IMMEDIATE`` so that concurrent
writers queue on the busy timeout instead of failing with "database is locked" when a
read transaction tries to upgrade to a write.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Engine, Executable, create_engine, event, exc, make_url
from sqlalchemy.dialects import postgresql
from sqlalchemy.pool import SingletonThreadPool
from sqlmodel import Session

from grants.core.settings import get_settings

# What the database being away (stopped, restarting, unreachable) looks like, through
# SQLAlchemy or from psycopg's own async pool (whose PoolTimeout is an OperationalError):
# a moment's outage to be told as such, never a 500.
DATABASE_AWAY = (exc.OperationalError, exc.InterfaceError, psycopg.OperationalError,
                 psycopg.InterfaceError)
# How long a request waits for a pooled connection before it is told the database is away.
POOL_WAIT_SECONDS = 5

WRITE = {"grants_write": True}
SNAPSHOT = {"isolation_level": "REPEATABLE READ"}


def make_engine(url: str, **kwargs) -> Engine:
    settings = get_settings()
    if ":memory:" not in url:
        kwargs.setdefault("pool_size", settings.database_pool_size)
        kwargs.setdefault("max_overflow", settings.database_max_overflow)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _configure_sqlite(engine, settings.sqlite_busy_timeout_ms)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, *, transactions: bool = True) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        # Take transaction control away from the sqlite3 module so that SAVEPOINTs and
        # BEGIN IMMEDIATE behave as documented (SQLAlchemy "sqlite_transactions").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    if not transactions:
        return  # each statement is its own transaction, as SQLite does by itself

    @event.listens_for(engine, "begin")
    def _begin(conn):
        immediate = conn.get_execution_options().get("grants_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@lru_cache
def engine_for(url: str) -> Engine:
    return make_engine(url)


def get_engine() -> Engine:
    return engine_for(get_settings().database_url)


@lru_cache
def _loop_engine_for(url: str) -> Engine:
    # One connection per thread, never shared and never waited for: the event loop's reads
    # must not queue for a connection that a worker holds. A reader that meets a checkpoint
    # waits a moment at most, not the writers' busy timeout.
    engine = create_engine(url, poolclass=SingletonThreadPool,
                           connect_args={"check_same_thread": False})
    _configure_sqlite(engine, busy_timeout_ms=1_000, transactions=False)
    return engine


def loop_engine() -> Engine:
    """The SQLite engine for reads made on the event loop itself (see grants.api.deps)."""
    return _loop_engine_for(get_settings().database_url)


@contextmanager
def unit_of_work(engine: Engine | None = None, *, write: bool = True) -> Iterator[Session]:
    """One transaction: commit if the block succeeds, roll back if it raises. A reading one
    sees one snapshot throughout, as SQLite's read transactions do by themselves, so that
    what it reads in several statements (a chain and its head, a page and its total) agrees."""
    engine = engine or get_engine()
    with Session(engine, expire_on_commit=False) as session:
        if write:
            session.connection(execution_options=WRITE)
        elif engine.dialect.name == "postgresql":
            session.connection(execution_options=SNAPSHOT)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


Values = Mapping[str, Any]  # one row, by column name


def read_one(engine: Engine, statement: Executable, params: dict) -> Values | None:
    """One statement's first row, with no transaction around it: the statement sees one
    snapshot by itself, so there is nothing to begin, commit or roll back. PostgreSQL runs it
    in autocommit; SQLite engines made by ``loop_engine`` begin nothing."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        row = connection.execute(statement, params).first()
        return None if row is None else row._mapping


_POOLS: dict[str, AsyncConnectionPool] = {}
_POSTGRESQL = postgresql.psycopg.dialect()


async def read_one_async(statement: Executable, params: dict) -> Values | None:
    """read_one for PostgreSQL without leaving the event loop: psycopg's own async pool and
    I/O, the statement compiled once. (SQLAlchemy's async layer costs three times what the
    read itself does.) Every time column of the schema is aware UTC, as through SQLAlchemy."""
    compiled = _compiled(statement)
    async with (await _pool()).connection() as connection:
        cursor = await connection.execute(str(compiled), compiled.construct_params(params))
        row = await cursor.fetchone()
    if row is None:
        return None
    return {key: value.astimezone(timezone.utc) if isinstance(value, datetime) else value
            for key, value in row.items()}


@lru_cache(maxsize=32)
def _compiled(statement: Executable):
    return statement.compile(dialect=_POSTGRESQL)


async def _pool() -> AsyncConnectionPool:
    settings = get_settings()
    pool = _POOLS.get(settings.database_url)
    if pool is None:
        conninfo = make_url(settings.database_url).set(drivername="postgresql")
        pool = _POOLS[settings.database_url] = AsyncConnectionPool(
            conninfo.render_as_string(hide_password=False), open=False, min_size=1,
            max_size=settings.database_pool_size, timeout=POOL_WAIT_SECONDS,
            # A connection the server dropped (a restart) is found out before it is lent.
            check=AsyncConnectionPool.check_connection,
            kwargs={"autocommit": True, "row_factory": dict_row})
        await pool.open()
    return pool


async def close_async_pools() -> None:
    """Close the async pools: their connections belong to the event loop that is ending."""
    while _POOLS:
        await _POOLS.popitem()[1].close()

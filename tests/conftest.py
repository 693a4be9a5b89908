"""Test databases. The suite runs on SQLite, or on PostgreSQL when GRANTS_TEST_POSTGRES_URL
points at a server (CI runs it both ways). Every database is made for the run and dropped
after it; most tests run inside a transaction that is rolled back when they end."""

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from grants.core import migrate
from grants.core.db import make_engine
from grants.operations import plugins

POSTGRES_URL = os.environ.get("GRANTS_TEST_POSTGRES_URL")
BACKEND = "postgresql" if POSTGRES_URL else "sqlite"


def pytest_terminal_summary(terminalreporter) -> None:
    """The figures of the fault harness (requests made, faults injected, rows checked,
    violations), printed at the end of the run, CI's included."""
    from tests.support import FIGURES
    if FIGURES:
        terminalreporter.section("figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


def pytest_report_header(config) -> str:
    return f"grants test database: {BACKEND}"


class Databases:
    """Makes migrated, seeded databases on the run's backend and drops them at the end."""

    def __init__(self, folder) -> None:
        self.folder = folder
        self.made: list[tuple[Engine, str]] = []

    def make(self, *, migrated: bool = True, **pool) -> Engine:
        pool = {"pool_size": 40, "max_overflow": 10} | pool
        name = f"grants_test_{uuid.uuid4().hex[:12]}"
        if POSTGRES_URL:
            server = make_url(POSTGRES_URL)
            with _admin(server) as admin:
                admin.execute(text(f'CREATE DATABASE "{name}"'))
            url = server.set(database=name).render_as_string(hide_password=False)
            engine = make_engine(url, **pool)
        else:
            url = f"sqlite:///{self.folder / (name + '.db')}"
            engine = make_engine(url, **pool)
        if migrated:
            migrate.init(engine)
        self.made.append((engine, name))
        return engine

    def drop_all(self) -> None:
        for engine, name in self.made:
            engine.dispose()
            if POSTGRES_URL:
                with _admin(make_url(POSTGRES_URL)) as admin:
                    admin.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _admin(server_url):
    # No pool: the connection closes with the block, instead of lingering until collected.
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    return engine.connect()


@pytest.fixture(scope="session", autouse=True)
def plugins_installed() -> None:
    """As the app's lifespan and the command's callback do: actions issue their forms and
    notify the other side (importing a module installs nothing)."""
    plugins.install()


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> Iterator[Databases]:
    made = Databases(tmp_path_factory.mktemp("db"))
    yield made
    made.drop_all()


@pytest.fixture(scope="session")
def engine(databases: Databases) -> Engine:
    return databases.make()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test (savepoints inside stay real)."""
    connection = engine.connect()
    outer = connection.begin()
    with Session(bind=connection, join_transaction_mode="create_savepoint",
                 expire_on_commit=False) as session:
        yield session
    outer.rollback()
    connection.close()


@pytest.fixture
def fresh_engine(databases: Databases) -> Callable[[], Engine]:
    """For tests that must really commit (concurrency, the CLI): a database of their own."""
    return databases.make


# --- the API ------------------------------------------------------------------------------

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def password_hash() -> str:
    from grants.core.passwords import hasher
    return hasher.hash(PASSWORD)  # Argon2 is slow on purpose: hash once per run


@pytest.fixture
def client(session: Session):
    """The app on the test's session: each request commits or rolls back a savepoint."""
    from contextlib import contextmanager

    from fastapi.testclient import TestClient

    from grants.app import app
    from grants.http.sessions import Sessions, sessions

    @contextmanager
    def unit(_mode: str) -> Iterator[Session]:
        session.commit()  # a request sees what the test set up as committed, as in life
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

    async def read_one(statement, params):
        with unit("read") as db:
            row = db.execute(statement, params).first()
            return None if row is None else row._mapping

    async def test_sessions():
        return Sessions(unit, read_one)

    app.dependency_overrides[sessions] = test_sessions
    with TestClient(app, raise_server_exceptions=True) as test_client:
        yield test_client
    app.dependency_overrides.clear()


@pytest.fixture
def login(session: Session, password_hash: str):
    """login(actor) -> the Authorization header of a fresh token for that actor."""
    from grants.core.users import issue_token
    from tests.support import ensure_user

    def make(actor) -> dict[str, str]:
        token, _ = issue_token(session, ensure_user(session, actor, password_hash))
        return {"Authorization": f"Bearer {token}"}

    return make

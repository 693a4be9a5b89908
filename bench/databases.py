"""Throwaway databases for the benchmarks: a SQLite file, or a PostgreSQL database created
on the server at GRANTS_BENCH_POSTGRES_URL (or GRANTS_TEST_POSTGRES_URL) and dropped after."""

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable

from sqlalchemy import create_engine, make_url, text

Made = tuple[str, Callable[[], None]]  # (database URL, how to drop it)


def postgres_server() -> str | None:
    return os.environ.get("GRANTS_BENCH_POSTGRES_URL") or os.environ.get("GRANTS_TEST_POSTGRES_URL")


def sqlite_database() -> Made:
    folder = tempfile.mkdtemp(prefix="grants-bench-")
    return f"sqlite:///{folder}/bench.db", lambda: shutil.rmtree(folder, ignore_errors=True)


def postgres_database(server_url: str) -> Made:
    server = make_url(server_url)
    name = f"grants_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop

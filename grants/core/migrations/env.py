"""Alembic environment. The database is the one in settings (GRANTS_DATABASE_URL) unless
the caller hands over a connection (``grants.core.migrate``) or an URL in the config."""

from alembic import context
from sqlmodel import SQLModel

import grants.core.models  # noqa: F401  (registers the tables on the metadata)
from grants.core.db import make_engine
from grants.core.settings import get_settings

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()

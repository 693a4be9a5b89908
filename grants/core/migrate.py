"""Create or upgrade the schema (Alembic) and seed the reference data, idempotently."""

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from grants.core import municipalities
from grants.core.db import unit_of_work


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "grants.core:migrations")
    return config


def upgrade(engine: Engine) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def init(engine: Engine) -> int:
    """Upgrade to the newest schema, then seed orgs and municipalities. Returns how many
    municipalities are seeded."""
    upgrade(engine)
    with unit_of_work(engine) as session:
        return municipalities.seed(session)


def is_current(connection: Connection) -> bool:
    """Whether the database's schema is the newest this code knows (readiness)."""
    applied = set(MigrationContext.configure(connection).get_current_heads())
    return applied == set(ScriptDirectory.from_config(alembic_config()).get_heads())

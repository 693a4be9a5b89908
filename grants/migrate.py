"""Create or upgrade the schema (Alembic) and seed the reference data, idempotently."""

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from grants import municipalities
from grants.db import unit_of_work


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "grants:migrations")
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

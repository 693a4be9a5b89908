"""The project's foundations: the committed diagram, migrations, settings, 和暦, health."""

from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlmodel import SQLModel

from grants.core.settings import Settings
from grants.core.wareki import fiscal_year_label, wareki_date
from workflows import diagram

ROOT = Path(__file__).parents[2]


def test_committed_workflow_diagram_is_current():
    committed = (ROOT / "docs" / "workflow.md").read_text("utf-8")
    assert committed == diagram.document(), \
        "regenerate: python -m workflows.diagram > docs/workflow.md"


def test_diagram_draws_every_transition():
    text = diagram.mermaid()
    assert "under_review --> awarded: award 交付決定 (事務局) 様式2" in text
    assert "report_submitted --> confirmed: confirm 額の確定 (事務局) 様式7" in text
    assert "confirmed --> payment_requested: request_payment 交付請求 (申請者（市区町村）) 様式8" in text
    # the start arrow and one per (source, action) of SPEC §4, with request_payment, settle
    # from payment_requested and cancel from payment_requested since the 交付請求 came in
    assert text.count("-->") == 1 + 29 + 3


def test_migrations_match_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.setenv("GRANTS_ENVIRONMENT", "production")
    monkeypatch.delenv("GRANTS_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="GRANTS_SECRET_KEY"):
        Settings(_env_file=None)
    monkeypatch.setenv("GRANTS_SECRET_KEY", "s3cret-from-the-vault")
    assert Settings(_env_file=None).environment == "production"


@pytest.mark.parametrize(("day", "text"), [
    (date(2025, 4, 1), "令和7年4月1日"), (date(2019, 5, 1), "令和元年5月1日"),
    (date(2019, 4, 30), "平成31年4月30日"), (date(1989, 1, 8), "平成元年1月8日"),
])
def test_wareki_dates(day, text):
    assert wareki_date(day) == text


@pytest.mark.parametrize(("year", "label"), [(2025, "令和7年度"), (2019, "令和元年度"),
                                             (2011, "平成23年度"), (2020, "令和2年度")])
def test_fiscal_year_labels(year, label):
    assert fiscal_year_label(year) == label


def test_readiness_check_reaches_the_database(engine, monkeypatch):
    from grants.app import app
    from grants.core.settings import get_settings
    monkeypatch.setenv("GRANTS_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    try:
        response = TestClient(app).get("/readyz")
    finally:
        get_settings.cache_clear()
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "current"}
    assert TestClient(app).get("/docs").status_code == 200

"""Backup and restore (the reliability issue, part 2): a snapshot of the database with every
stored file and a manifest of SHA-256 sums; restored into an empty database, the audit trail
and the documents verify and the ledger is identical; a damaged backup or a database that is
not empty is refused, changing nothing."""

import json

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from forms import issue
from grants.cli import app
from grants.core.actors import Actor, Role
from grants.core.db import unit_of_work
from grants.core.settings import get_settings
from grants.publishing import ledger
from grants.publishing.ledger import LedgerFilter
from tests import factories as f
from tests.documents_support import issue_all_nine
from workflows import audit

AUDITOR = Actor("auditor", Role.auditor)


def _ledger(engine) -> list[tuple]:
    with unit_of_work(engine, write=False) as session:
        return list(ledger.rows(session, AUDITOR, LedgerFilter()))


@pytest.fixture
def cli(monkeypatch):
    def run(engine, *arguments):
        monkeypatch.setenv("GRANTS_DATABASE_URL", engine.url.render_as_string(hide_password=False))
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(app, list(arguments))
        finally:
            get_settings.cache_clear()
    return run


def test_backup_then_restore_into_an_empty_database_keeps_everything(fresh_engine, databases,
                                                                    cli, tmp_path):
    source = fresh_engine()
    with unit_of_work(source) as session:
        issue_all_nine(session)
        f.grant_in(session, "awarded", f.WARD, title="添付のある事業")
    done = cli(source, "backup", str(tmp_path / "backup"))
    assert done.exit_code == 0 and "バックアップを書き出しました" in done.output, done.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["counts"]["documents"] > 9 and len(manifest["stored"]["documents"]) == \
        manifest["counts"]["documents"]

    target = databases.make(migrated=False)
    done = cli(target, "restore", str(tmp_path / "backup"))
    assert done.exit_code == 0 and "内容は目録と一致しています" in done.output, done.output
    with unit_of_work(target, write=False) as session:
        assert audit.verify(session).ok
        assert issue.verify(session)[1] == []
    assert _ledger(target) == _ledger(source)


def test_a_damaged_backup_is_refused(fresh_engine, databases, cli, tmp_path):
    source = fresh_engine()
    with unit_of_work(source) as session:
        f.program(session)
        f.grant_in(session, "awarded")
    assert cli(source, "backup", str(tmp_path / "b")).exit_code == 0
    dump = next(p for p in (tmp_path / "b").iterdir() if p.name != "manifest.json")
    damaged = bytearray(dump.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF  # one byte changed
    dump.write_bytes(bytes(damaged))
    target = databases.make(migrated=False)
    refused = cli(target, "restore", str(tmp_path / "b"))
    assert refused.exit_code == 1 and "SHA-256 と一致しません" in refused.output
    assert inspect(target).get_table_names() == []


def test_restore_refuses_a_database_that_is_not_empty_and_backup_a_full_folder(fresh_engine, cli,
                                                                            tmp_path):
    source = fresh_engine()
    assert cli(source, "backup", str(tmp_path / "b")).exit_code == 0
    refused = cli(source, "restore", str(tmp_path / "b"))
    assert refused.exit_code == 1 and "空ではありません" in refused.output
    again = cli(source, "backup", str(tmp_path / "b"))
    assert again.exit_code == 1 and "空ではありません" in again.output
    missing = cli(source, "restore", str(tmp_path / "nothing-here"))
    assert missing.exit_code == 1 and "manifest.json" in missing.output

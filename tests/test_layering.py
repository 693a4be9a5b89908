"""The floors hold: the import contract (import-linter, in pyproject.toml) is kept and bites
on an import that runs up a floor or joins two siblings; importing a module has no effect
(no plug-in installed, no database opened), so every entry point installs the plug-ins
itself."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh interpreter: what the suite has imported and installed must not hide it.
IMPORT_EVERYTHING = r"""
import importlib, json, pkgutil, sqlite3, sys
import sqlalchemy, sqlalchemy.engine, sqlmodel
opened = []

def recorder(name, real):
    def record(*args, **kwargs):
        opened.append(name)
        return real(*args, **kwargs)
    return record

sqlalchemy.create_engine = recorder("create_engine", sqlalchemy.create_engine)
sqlalchemy.engine.create_engine = sqlalchemy.create_engine
sqlmodel.create_engine = sqlalchemy.create_engine
sqlite3.connect = recorder("sqlite3.connect", sqlite3.connect)
try:
    import psycopg
    psycopg.connect = recorder("psycopg.connect", psycopg.connect)
except ImportError:
    pass

imported = []
for top in ("grants", "workflows", "forms", "notifications"):
    package = importlib.import_module(top)
    imported.append(top)
    for info in pkgutil.walk_packages(package.__path__, top + "."):
        if info.name.startswith("grants.core.migrations"):
            continue  # Alembic's scripts, run by Alembic against a database, not imported
        importlib.import_module(info.name)
        imported.append(info.name)

from workflows import hooks
print(json.dumps({"imported": imported, "opened": opened,
                  "issuers": len(hooks.document_issuers), "notifiers": len(hooks.notifiers)}))
"""


def test_importing_every_module_installs_no_plugin_and_opens_no_database(tmp_path):
    env = os.environ | {"GRANTS_DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}",
                        "GRANTS_SCHEDULER": "on"}
    done = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"grants.app", "grants.cli", "grants.operations.plugins", "forms.issue",
            "notifications.scheduler"} <= set(found["imported"])
    assert len(found["imported"]) > 80
    assert found["opened"] == []
    assert (found["issuers"], found["notifiers"]) == (0, 0)
    assert not (tmp_path / "never.db").exists()


def test_the_app_installs_the_plugins_when_it_starts(tmp_path):
    """The app's lifespan (each uvicorn worker), not its import, puts the forms and the
    notices on the workflow's hooks."""
    code = ("from fastapi.testclient import TestClient\n"
            "from grants.app import app\n"
            "from workflows import hooks\n"
            "before = len(hooks.document_issuers) + len(hooks.notifiers)\n"
            "with TestClient(app):\n"
            "    during = (len(hooks.document_issuers), len(hooks.notifiers))\n"
            "print(before, *during)\n")
    env = os.environ | {"GRANTS_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
                        "GRANTS_SCHEDULER": "off"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "1", "1"]


def test_a_command_installs_the_plugins_before_it_runs(tmp_path):
    code = ("from typer.testing import CliRunner\n"
            "from grants.cli import app\n"
            "from workflows import hooks\n"
            "seen = []\n"
            "@app.command('probe')\n"
            "def _probe():\n"
            "    seen.append((len(hooks.document_issuers), len(hooks.notifiers)))\n"
            "before = len(hooks.document_issuers)\n"
            "result = CliRunner().invoke(app, ['probe'])\n"
            "print(before, *seen[0], result.exit_code)\n")
    env = os.environ | {"GRANTS_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "1", "1", "0"]


PACKAGES = ("grants", "workflows", "forms", "notifications")


def _lint(tree: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` over the packages as they are in ``tree``, with the project's contract."""
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(lint), "--no-cache", str(tree / "pyproject.toml")], cwd=tree,
                          env=os.environ | {"PYTHONPATH": str(tree)}, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A copy of the code and its contract, to break on purpose."""
    copy = tmp_path_factory.mktemp("tree")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, copy / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def test_the_import_contract_is_kept(tree):
    done = _lint(tree)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(("module", "imports", "contract"), [
    ("grants/core/probe.py", "from grants.web import templating", "Floors: imports point down"),
    ("workflows/probe.py", "from notifications import outbox", "Floors: imports point down"),
    ("forms/probe.py", "from notifications import rules", "plug-ins do not know each other"),
    ("grants/web/probe.py", "from grants.api import schemas", "API and the pages do not know"),
    ("grants/core/probe.py", "import fastapi", "ground floor knows no web framework"),
])
def test_an_import_against_the_floors_fails_the_lint(tree, module, imports, contract):
    probe = tree / module
    probe.write_text(f'"""A deliberate breach of the floors."""\n\n{imports}\n', "utf-8")
    try:
        done = _lint(tree)
    finally:
        probe.unlink()
    assert done.returncode != 0
    broken = [line for line in done.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(contract in line for line in broken), done.stdout
    assert module.removesuffix(".py").replace("/", ".") in done.stdout

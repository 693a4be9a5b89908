"""The floors hold: importing a module has no effect (no plug-in installed, no database
opened), so every entry point installs the plug-ins itself."""

import json
import os
import subprocess
import sys
from pathlib import Path

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

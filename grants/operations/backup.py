"""Backup and restore without a programmer: ``grants backup OUTDIR`` writes a consistent
snapshot of the database, which holds the stored files too (attachments, issued documents and
their PDFs), with a manifest of SHA-256 sums; ``grants restore OUTDIR`` puts it into an empty
database and checks every stored file against the manifest.

SQLite is copied with its online backup API (a consistent copy while the service runs);
PostgreSQL with ``pg_dump`` (one snapshot transaction) and ``pg_restore``."""

import hashlib
import json
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.engine import make_url

from grants.core.clock import utcnow
from grants.core.db import unit_of_work
from grants.core.errors import InvalidInput, Refused
from grants.core.ja.messages import message
from grants.core.models import Attachment, AuditEvent, Document, DocumentPdf, Grant

MANIFEST = "manifest.json"
FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
STORED = {"documents": (Document, Document.id), "attachments": (Attachment, Attachment.id),
          "document_pdfs": (DocumentPdf, DocumentPdf.document_id)}


def backup(engine: Engine, outdir: Path) -> dict:
    """The snapshot and its manifest in ``outdir`` (new or empty); returns the manifest."""
    if outdir.exists() and any(outdir.iterdir()):
        raise InvalidInput(message("backup_folder_not_empty", path=outdir))
    outdir.mkdir(parents=True, exist_ok=True)
    kind = engine.dialect.name
    target = outdir / FILES[kind]
    if kind == "sqlite":
        with sqlite3.connect(engine.url.database) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        copy.close()
    else:
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                        "--file", str(target), _libpq(engine)], check=True, capture_output=True)
    written = _engine_of(kind, target, engine)
    try:
        contents = _contents(written)
    finally:
        if written is not engine:
            written.dispose()
    manifest = {"format": 1, "database": kind, "made_at": utcnow().isoformat(timespec="seconds"),
                "files": {target.name: _sha256(target)}, **contents}
    (outdir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return manifest


def restore(engine: Engine, outdir: Path) -> dict:
    """The snapshot into ``engine``'s database, which must be empty; every file of the backup
    and every stored file checked against the manifest. Returns the manifest."""
    try:
        manifest = json.loads((outdir / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        raise InvalidInput(message("backup_unreadable", path=outdir)) from None
    for name, digest in manifest["files"].items():
        if not (outdir / name).is_file() or _sha256(outdir / name) != digest:
            raise InvalidInput(message("backup_damaged", name=name))
    kind = engine.dialect.name
    if manifest["database"] != kind:
        raise InvalidInput(message("backup_other_database", made=manifest["database"], here=kind))
    if inspect(engine).get_table_names():
        raise Refused(message("restore_not_empty"), code="restore_not_empty")
    source = outdir / FILES[kind]
    if kind == "sqlite":
        engine.dispose()
        with sqlite3.connect(source) as copy, sqlite3.connect(engine.url.database) as target:
            copy.backup(target)
        target.close()
    else:
        subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                        "--dbname", _libpq(engine), str(source)], check=True, capture_output=True)
    engine.dispose()
    restored = _contents(engine)
    for key in ("counts", "stored"):
        if restored[key] != manifest[key]:
            raise Refused(message("restore_mismatch", what=key), code="restore_mismatch")
    return manifest


def _contents(engine: Engine) -> dict:
    """What the manifest records of a database: its rows and the SHA-256 of every stored file."""
    with unit_of_work(engine, write=False) as session:
        counts = {name: session.scalar(select(func.count()).select_from(entity))
                  for name, entity in (("grants", Grant), ("audit_events", AuditEvent),
                                       *((name, entity) for name, (entity, _) in STORED.items()))}
        # Hashed from the bytes themselves, a hundred files at a time.
        stored = {name: {str(key): hashlib.sha256(content).hexdigest()
                         for key, content in session.execute(
                             select(ident, entity.content).order_by(ident)
                             .execution_options(yield_per=100))}
                  for name, (entity, ident) in STORED.items()}
    return {"counts": counts, "stored": stored}


def _engine_of(kind: str, target: Path, engine: Engine) -> Engine:
    """What to read the manifest's contents from: the copy itself for SQLite (exactly what
    was written), the live database for PostgreSQL (pg_dump's snapshot is of the same data)."""
    if kind == "sqlite":
        from grants.core.db import make_engine
        return make_engine(f"sqlite:///{target}")
    return engine


def _libpq(engine: Engine) -> str:
    """The database's address as pg_dump and pg_restore take it."""
    url = make_url(engine.url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


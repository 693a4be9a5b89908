"""Attachments: type checked by content, at most 10 MB, stored with SHA-256."""

import hashlib

import pytest
from sqlalchemy import func, select

from grants.core.attachments import safe_filename
from grants.core.models import Attachment, AuditEvent
from tests import factories as f
from tests import files_support as files
from tests.api.test_authorization import PNG

PDF = files.pdf()
JPEG = files.image("JPEG")
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


def _office(part: str) -> bytes:
    """Only the parts' names of a package: what a file judged by its names alone would pass."""
    return files.package({"[Content_Types].xml": b"<Types/>", part: b"<x/>"})


@pytest.fixture
def grant(session):
    f.program(session)
    return f.draft(session)


def _upload(client, headers, grant, name, content, declared="application/octet-stream"):
    return client.post(f"/api/grants/{grant.id}/attachments", headers=headers,
                       files={"file": (name, content, declared)})


@pytest.mark.parametrize(("name", "content", "mime", "kept"), [
    ("見積書.pdf", PDF, "application/pdf", "見積書.pdf"),
    ("現場写真.jpg", JPEG, "image/jpeg", "現場写真.jpg"),
    ("現場写真2.JPEG", JPEG, "image/jpeg", "現場写真2.JPEG"),
    ("地図.png", PNG, "image/png", "地図.png"),
    ("経費内訳.xlsx", files.workbook(),
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "経費内訳.xlsx"),
    ("計画書.docx", files.word(),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "計画書.docx"),
    ("名前が違う.bin", PDF, "application/pdf", "名前が違う.pdf"),  # judged by content, not name
    ("拡張子なし", files.image(), "image/png", "拡張子なし.png"),
])
def test_accepted_files_are_stored_with_their_hash(client, login, grant, name, content, mime, kept):
    headers = login(f.applicant())
    response = _upload(client, headers, grant, name, content)
    assert response.status_code == 201, response.text
    stored = response.json()
    assert (stored["filename"], stored["content_type"], stored["size"]) == (kept, mime, len(content))
    assert stored["sha256"] == hashlib.sha256(content).hexdigest()
    listed = client.get(f"/api/grants/{grant.id}/attachments", headers=login(f.AUDITOR)).json()["items"]
    assert [a["id"] for a in listed] == [stored["id"]]
    download = client.get(f"/api/attachments/{stored['id']}", headers=login(f.secretariat()))
    assert download.content == content and download.headers["content-type"].startswith(mime)
    assert "attachment;" in download.headers["content-disposition"]
    assert download.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(("name", "content"), [
    ("請求書.pdf", ELF),  # a renamed executable
    ("script.docx", b"MZ\x90\x00" + b"\x00" * 200),  # a renamed Windows program
    ("fake.xlsx", _office("payload/evil.bin")),  # a ZIP that is no workbook
    ("broken.docx", b"PK\x03\x04garbage"),
    ("empty.pdf", b""),
    ("huge.pdf", PDF + b"0" * (10 * 1024 * 1024)),
    ("names-only.docx", _office("word/document.xml")),  # the part's name, no document in it
    ("names-only.xlsx", _office("xl/workbook.xml")),
    ("html.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>"),
    ("bomb.docx", files.zip_bomb()),  # packed small, 110 MB unpacked
    ("truncated.png", files.image()[:60]),
    ("truncated.jpg", JPEG[:len(JPEG) // 2]),
    ("pixels.png", files.image(size=(10_000, 6_000))),  # 60 megapixels
])
def test_bad_uploads_are_refused_and_nothing_is_stored(client, session, login, grant, name, content):
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    response = _upload(client, login(f.applicant()), grant, name, content, "application/pdf")
    assert response.status_code == 422, response.text
    assert response.json()["detail"]
    assert session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_paths_are_stripped_from_names(client, login, grant):
    response = _upload(client, login(f.applicant()), grant, "../../etc/写真.png", PNG)
    assert response.json()["filename"] == "写真.png"


@pytest.mark.parametrize(("given", "kept"), [("..\\..\\写真\x00.png", "写真.png"),
                                             ("a\r\nb.png", "ab.png"), ("...", "attachment.png"),
                                             (None, "attachment.png"), ("実行.exe", "実行.png"),
                                             ("x" * 300 + ".png", "x" * 251 + ".png")])
def test_safe_filename(given, kept):
    assert safe_filename(given, "image/png") == kept


def test_an_eight_gigabyte_bomb_is_refused_at_once_by_its_declared_sizes():
    """Its sizes are read from the ZIP's directory: nothing is unpacked."""
    import time

    from grants.core.attachments import sniff
    from grants.core.errors import InvalidInput
    bomb = files.zip_bomb()
    started = time.process_time()
    with pytest.raises(InvalidInput) as refused:
        sniff(bomb)
    assert refused.value.problems == {"file": "attachment_too_big_inside"}
    assert "展開すると大きすぎる" in refused.value.detail
    assert time.process_time() - started < 1  # read, not unpacked


def test_uploads_are_recorded_in_the_audit_trail(client, session, login, grant):
    stored = _upload(client, login(f.applicant()), grant, "見積書.pdf", PDF).json()
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "attach" and event.documents[0]["sha256"] == stored["sha256"]


def test_another_municipality_cannot_see_or_fetch_attachments(client, login, grant):
    stored = _upload(client, login(f.applicant()), grant, "見積書.pdf", PDF).json()
    other = login(f.applicant(f.TOWN))
    assert client.get(f"/api/attachments/{stored['id']}", headers=other).status_code == 404
    assert client.get(f"/api/grants/{grant.id}/attachments", headers=other).status_code == 404

"""PDF beside every issued .docx (issue: documents a municipal officer would sign): made by
LibreOffice from the stored document, drawn in 明朝 and no sans-serif font, kept as made with
its SHA-256 in the audit trail, offered to whoever may read the document and to nobody else,
and where this server cannot make one, said so instead of failing."""

import hashlib
import shutil
import subprocess

import pytest
from sqlalchemy import select

from forms import issue, pdf
from grants.core.models import AuditEvent, DocumentPdf
from tests import factories as f
from tests.documents_support import issue_all_nine
from tests.support import need
from workflows import audit


@pytest.fixture(scope="module")
def office():
    need(pdf.available(), "LibreOffice with python3-uno is not installed "
                          "(apt-get install libreoffice-writer-nogui python3-uno)")
    return pdf.office


def fonts_of(content: bytes, tmp_path) -> list[str]:
    need(shutil.which("pdffonts") is not None, "pdffonts is not installed (apt-get install poppler-utils)")
    path = tmp_path / "form.pdf"
    path.write_bytes(content)
    listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    return [line.split()[0].split("+")[-1] for line in listing.stdout.splitlines()[2:]]


def test_every_form_is_drawn_in_mincho_and_no_sans_font(session, office, tmp_path):
    for form, document in issue_all_nine(session).items():
        fonts = fonts_of(office.convert(document.content), tmp_path)
        assert fonts and all("Mincho" in font for font in fonts), (form, fonts)
        assert not any(sans in font for font in fonts for sans in ("Gothic", "Sans", "Arial")), form


def test_without_the_projects_font_aliases_the_forms_fall_back_to_sans(session, office, tmp_path):
    """The check can fail: LibreOffice left to the system's fonts draws "MS 明朝" in sans."""
    need(pdf.soffice() is not None, "LibreOffice is not installed")
    document = issue_all_nine(session)[2]
    (tmp_path / "form.docx").write_bytes(document.content)
    subprocess.run([pdf.soffice(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "out"), str(tmp_path / "form.docx")],
                   check=True, capture_output=True, timeout=120)
    fonts = fonts_of((tmp_path / "out" / "form.pdf").read_bytes(), tmp_path)
    assert not all("Mincho" in font for font in fonts), fonts


def test_the_pdf_is_made_once_kept_and_recorded_in_the_trail(client, session, login, office):
    f.program(session)
    grant = f.grant_in(session, "awarded")
    document_id = issue_all_nine_ids(session, grant)[0]
    first = client.get(f"/api/documents/{document_id}/pdf", headers=login(f.applicant()))
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "application/pdf" and first.content.startswith(b"%PDF")
    assert "attachment" in first.headers["content-disposition"]
    again = client.get(f"/api/documents/{document_id}/pdf", headers=login(f.secretariat()))
    assert again.content == first.content  # kept as made, not made again
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "document_pdf")).one()
    assert event.documents[0]["pdf_of"] == document_id
    assert event.documents[0]["sha256"] == hashlib.sha256(first.content).hexdigest()
    assert audit.verify(session).ok
    count, mismatches = issue.verify(session)
    assert (count, mismatches) == (3, [])  # 様式第1号 and 第2号, and the PDF of the first
    # A PDF that got into the database some other way is found out.
    other = issue_all_nine_ids(session, grant)[1]
    session.add(DocumentPdf(document_id=other, sha256="0" * 64, content=b"%PDF-forged",
                            made_at=event.occurred_at))
    session.flush()
    assert issue.verify(session)[1] == [issue.Mismatch(other, "PDF not recorded in the audit trail")]


def issue_all_nine_ids(session, grant) -> list[int]:
    from grants.core.models import Document
    return list(session.scalars(select(Document.id).where(Document.grant_id == grant.id)
                                .order_by(Document.id)))


def test_the_pdf_is_for_whoever_may_read_the_document_only(client, session, login, office):
    f.program(session)
    grant = f.grant_in(session, "awarded")
    document_id = issue_all_nine_ids(session, grant)[0]
    for stranger in (f.applicant(f.TOWN), f.secretariat(f.WARD_ORG)):
        answer = client.get(f"/api/documents/{document_id}/pdf", headers=login(stranger))
        assert answer.status_code == 404, stranger
    assert client.get(f"/api/documents/{document_id}/pdf").status_code == 401
    assert session.scalar(select(DocumentPdf.document_id)) is None  # nothing made for them


def test_where_libreoffice_is_missing_the_pdf_says_so_instead_of_failing(client, session, login,
                                                                       password_hash, monkeypatch):
    from tests.web_support import sign_in
    f.program(session)
    grant = f.grant_in(session, "awarded")
    document_id = issue_all_nine_ids(session, grant)[0]
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    monkeypatch.setattr(pdf, "available", lambda: False)
    monkeypatch.setattr(pdf, "office", pdf.Office())
    answer = client.get(f"/api/documents/{document_id}/pdf", headers=login(f.applicant()))
    assert answer.status_code == 503
    assert answer.json()["code"] == "pdf_unavailable" and "LibreOffice" in answer.json()["detail"]
    assert client.get(f"/api/documents/{document_id}", headers=login(f.applicant())).status_code == 200
    sign_in(client, session, f.applicant(), password_hash)
    page = client.get(f"/grants/{grant.id}").text
    assert "このサーバーでは作成できません" in page and f"/documents/{document_id}/pdf" not in page


def test_a_kept_pdf_cannot_be_changed_or_deleted(client, session, login, office):
    from sqlalchemy import exc, text
    f.program(session)
    grant = f.grant_in(session, "awarded")
    document_id = issue_all_nine_ids(session, grant)[0]
    assert client.get(f"/api/documents/{document_id}/pdf", headers=login(f.applicant())).status_code == 200
    for statement in ("UPDATE document_pdfs SET content = X'00'", "DELETE FROM document_pdfs"):
        with pytest.raises(exc.DatabaseError, match="kept as made"):
            with session.begin_nested():
                session.execute(text(statement.replace("X'00'", "content")))


def test_the_grant_page_links_each_document_to_its_pdf(client, session, password_hash, office):
    from tests.web_support import sign_in
    f.program(session)
    grant = f.grant_in(session, "awarded")
    document_id = issue_all_nine_ids(session, grant)[0]
    sign_in(client, session, f.applicant(), password_hash)
    assert f'href="/documents/{document_id}/pdf"' in client.get(f"/grants/{grant.id}").text
    answer = client.get(f"/documents/{document_id}/pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    sign_in(client, session, f.applicant(f.TOWN), password_hash)
    assert client.get(f"/documents/{document_id}/pdf").status_code == 404


def test_fifty_people_asking_at_once_for_a_new_pdf_wait_for_one_conversion(fresh_engine, office,
                                                                          monkeypatch):
    """Each gets the same PDF; LibreOffice converted it once."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from grants.core.db import unit_of_work
    engine = fresh_engine()
    with unit_of_work(engine) as session:
        f.program(session)
        document_id = issue_all_nine_ids(session, f.grant_in(session, "awarded"))[0]
    conversions = []
    real = office.convert
    monkeypatch.setattr(office, "convert", lambda docx: conversions.append(1) or real(docx))

    def unit(mode):
        return unit_of_work(engine, write=mode == "write")
    start = threading.Barrier(50)

    def ask(_n) -> bytes:
        with unit("read") as session:
            asked = issue.pdf_of(session, f.applicant(), document_id)
        start.wait()
        return asked.pdf or issue.make_pdf(unit, f.applicant(), asked)
    with ThreadPoolExecutor(50) as pool:
        got = list(pool.map(ask, range(50)))
    assert len(conversions) == 1 and len(set(got)) == 1 and got[0].startswith(b"%PDF")
    with unit_of_work(engine, write=False) as session:
        made = session.scalars(select(AuditEvent).where(AuditEvent.action == "document_pdf")).all()
    assert len(made) == 1
    engine.dispose()


def _office_processes(owner: int) -> list[int]:
    """LibreOffice and unoserver processes working for the server whose pid is ``owner``."""
    from pathlib import Path
    found = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if f"{pdf.FOLDER_PREFIX}{owner}-".encode() in command:
            found.append(int(proc.name))
    return found


def _waited(condition, seconds: float = 20) -> bool:
    import time
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGKILL"])
def test_libreoffice_ends_with_the_server_and_leaves_no_orphans(fresh_engine, office, password_hash,
                                                                stop):
    """Stopped (SIGTERM), the server ends LibreOffice and removes its profile; killed
    (SIGKILL), LibreOffice notices within seconds and ends itself, and the profile left
    behind is removed by the next server that starts one."""
    import glob
    import signal
    import tempfile

    import httpx

    from bench.serving import served_process
    from grants.core.db import unit_of_work
    from tests.support import ensure_user
    engine = fresh_engine()
    with unit_of_work(engine) as session:
        f.program(session)
        document_id = issue_all_nine_ids(session, f.grant_in(session, "awarded"))[0]
        ensure_user(session, f.applicant(), password_hash)
    with served_process(engine.url.render_as_string(hide_password=False)) as (base, server):
        token = httpx.post(f"{base}/api/auth/token", data={
            "username": f.applicant().username, "password": "correct horse battery staple"}
        ).json()["access_token"]
        answer = httpx.get(f"{base}/api/documents/{document_id}/pdf", timeout=120,
                           headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200 and _office_processes(server.pid)
        profile = glob.glob(f"{tempfile.gettempdir()}/{pdf.FOLDER_PREFIX}{server.pid}-*")
        assert profile
        server.send_signal(getattr(signal, stop))
        server.wait(30)
        assert _waited(lambda: not _office_processes(server.pid)), _office_processes(server.pid)
    if stop == "SIGTERM":
        assert not glob.glob(profile[0])
    else:
        following = pdf.Office()
        following._start()  # the next one to start cleans up after the one that was killed
        following.close()
        assert not glob.glob(profile[0])
    engine.dispose()

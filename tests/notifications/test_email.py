"""E-mail against a real SMTP server on loopback (aiosmtpd): the right people, Japanese words,
nothing lost while the server is away, nothing sent twice by a killed or a second deliverer."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import func, select, update

from grants.core.clock import utcnow
from grants.core.db import unit_of_work
from grants.core.models import Notification, User
from grants.core.settings import Settings, get_settings
from notifications.delivery import LEASE, deliver, requeue
from tests import factories as f
from tests.mail_support import Inbox, SmtpServer

PEOPLE = {  # username: (role, municipality, org, e-mail, wants e-mail)
    "applicant-city": ("applicant", f.CITY, None, "city@example.jp", True),
    "applicant-city-quiet": ("applicant", f.CITY, None, "quiet@example.jp", False),
    "applicant-city-noaddress": ("applicant", f.CITY, None, None, True),
    "applicant-ward": ("applicant", f.WARD, None, "ward@example.jp", True),
    "secretariat-city": ("secretariat", None, f.CITY_ORG, "jimukyoku@example.jp", True),
    "secretariat-ward": ("secretariat", None, f.WARD_ORG, "ward-jimukyoku@example.jp", True),
}


@pytest.fixture
def server():
    smtp = SmtpServer().start()
    yield smtp
    smtp.stop()


@pytest.fixture
def mail_on(server, monkeypatch) -> Settings:
    """E-mail on, towards the loopback server, for the app code that reads the settings."""
    monkeypatch.setenv("GRANTS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("GRANTS_SMTP_PORT", str(server.port))
    monkeypatch.setenv("GRANTS_MAIL_FROM", "みどり東京助成金 事務局 <jimukyoku@midori.example.jp>")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def _people(session) -> None:
    for username, (role, code, org, address, wants) in PEOPLE.items():
        session.add(User(username=username, role=role, municipality_code=code, org_id=org,
                         email=address, email_notifications=wants, password_hash="x"))
    session.flush()


def _awarded(engine) -> int:
    """A program, its people, and 八王子市's grant taken to its award: submit and award
    notices are queued."""
    with unit_of_work(engine) as session:
        f.program(session)
        _people(session)
        grant = f.draft(session)
        for action in ("submit", "start_review", "award"):
            f.act(session, grant, action)
        return grant.id


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_messages_arrive_with_the_right_recipients_and_japanese_subject_and_body(
        fresh_engine, server, mail_on):
    engine = fresh_engine()
    grant_id = _awarded(engine)
    done = deliver(engine, settings=mail_on)
    recipients = sorted(to for to, _ in server.inbox.messages)
    # submit -> the org's secretariat; start_review and award -> the applicant who wants mail
    assert done.sent == 3 and recipients == [["city@example.jp"], ["city@example.jp"],
                                             ["jimukyoku@example.jp"]]
    subjects = sorted(_subject(m) for _, m in server.inbox.messages)
    assert "【みどり東京助成金】八王子市「市民協働による里山保全事業」: 交付決定" in subjects
    award = next(m for _, m in server.inbox.messages if _subject(m).endswith("交付決定"))
    body = award.get_content()
    assert "applicant-city 様" in body and "交付決定額: 300,000円" in body
    assert f"{mail_on.base_url}/grants/{grant_id}" in body
    assert award["Message-ID"].startswith("<notice-") and award["Message-ID"].endswith(
        "@midori.example.jp>")
    assert "jimukyoku@midori.example.jp" in award["From"]
    assert award["Date"].endswith("+0900")  # when it was sent, in Japan time
    assert award["Content-Transfer-Encoding"] == "base64"  # no relay rewraps the Japanese
    raw = award.as_bytes()
    assert max(len(line) for line in raw.splitlines()) <= 998  # SMTP's line limit, encoded
    with unit_of_work(engine, write=False) as session:
        states = dict(session.execute(select(User.username, Notification.email_state)
                                      .join(User, User.id == Notification.user_id)).all())
    # in the inbox all the same: those without an address or who turned e-mail off
    assert states["applicant-city-quiet"] == "off" and states["applicant-city-noaddress"] == "off"
    assert "applicant-ward" not in states and "secretariat-ward" not in states


def test_with_the_server_stopped_nothing_is_lost_and_everything_arrives_once_after(
        fresh_engine, server, mail_on):
    engine = fresh_engine()
    _awarded(engine)
    server.stop()
    first = deliver(engine, settings=mail_on)
    assert first.sent == 0 and first.retried == 3 and first.errors
    again = deliver(engine, settings=mail_on)  # not yet time to retry: nothing is claimed
    assert again.sent == again.retried == 0
    server.start()
    later = utcnow() + timedelta(minutes=2)
    assert deliver(engine, now=later, settings=mail_on).sent == 3
    assert deliver(engine, now=later + timedelta(hours=1), settings=mail_on).sent == 0
    assert len(server.inbox.messages) == 3 and len(set(server.inbox.ids())) == 3


def test_the_deliverer_hands_its_connection_back_waiting_for_the_disk_again(
        databases, server, mail_on):
    """The marks of sent mail commit without waiting for the disk; no other work may."""
    engine = databases.make(pool_size=1, max_overflow=0)  # the deliverer's connection, reused
    _awarded(engine)
    assert deliver(engine, settings=mail_on).sent == 3
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            setting = connection.connection.driver_connection.execute(
                "PRAGMA synchronous").fetchone()[0]
            assert setting == 2  # FULL
        else:
            assert connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"


def test_a_refused_message_is_retried_then_failed_and_an_admin_can_requeue_it(
        fresh_engine, server, mail_on):
    engine = fresh_engine()
    _awarded(engine)
    server.inbox.refuse_from = 0
    moment = utcnow()
    for _ in range(mail_on.mail_max_attempts):
        deliver(engine, now=moment, settings=mail_on)
        moment += timedelta(hours=7)  # past the longest delay between tries
    with unit_of_work(engine, write=False) as session:
        states = session.scalars(select(Notification.email_state)
                                 .where(Notification.email_state != "off")).all()
    assert states == ["failed"] * 3
    server.inbox.refuse_from = None
    with unit_of_work(engine) as session:
        assert requeue(session, None, now=moment) == 3
    assert deliver(engine, now=moment, settings=mail_on).sent == 3


def _deliverer(engine, port: int, *, batch: int = 10, start: float = 0.0) -> subprocess.Popen:
    """A delivery process of its own, on the same database, starting at ``start`` (epoch
    seconds) so that several start together."""
    env = os.environ | {"GRANTS_DATABASE_URL": engine.url.render_as_string(hide_password=False),
                        "GRANTS_SMTP_HOST": "127.0.0.1", "GRANTS_SMTP_PORT": str(port)}
    code = ("import time; from notifications.delivery import deliver; "
            "from grants.core.db import get_engine; engine = get_engine(); "
            f"time.sleep(max(0, {start} - time.time())); "
            f"print(deliver(engine, batch={batch}).sent)")
    return subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                            text=True, cwd=os.getcwd())


def _queue(engine, count: int) -> None:
    """``count`` notices waiting for e-mail, as a busy morning leaves them."""
    with unit_of_work(engine) as session:
        f.program(session)
        _people(session)
        user = session.scalars(select(User).where(User.username == "applicant-city")).one()
        now = utcnow()
        session.add_all(Notification(dedup_key=f"test:{n}", kind="window_closing",
                                     occurrence="before-7", user_id=user.id, fiscal_year=f.FY,
                                     due_on=f.DECISION, email_state="pending",
                                     next_attempt_at=now) for n in range(count))


def test_a_deliverer_killed_mid_batch_and_restarted_sends_each_message_once(fresh_engine):
    engine = fresh_engine()
    _queue(engine, 25)
    inbox = Inbox()
    inbox.hold_at = 7  # the process dies while the server has the 8th message of 10 claimed
    server = SmtpServer(inbox).start()
    try:
        process = _deliverer(engine, server.port)
        assert inbox.holding.wait(30)
        process.kill()
        process.wait()
        inbox.hold_at = None
        inbox.release.set()
        assert len(inbox.messages) == 7
        with unit_of_work(engine, write=False) as session:
            states = dict(session.execute(select(Notification.email_state, func.count())
                                          .group_by(Notification.email_state)).all())
        assert states == {"sent": 7, "sending": 3, "pending": 15}
        # restarted: the other batches at once; the dead process's claim once it lapses
        assert deliver(engine, settings=_settings(server)).sent == 15
        later = utcnow() + LEASE + timedelta(seconds=1)
        assert deliver(engine, now=later, settings=_settings(server)).sent == 3
        assert len(inbox.messages) == 25 and len(set(inbox.ids())) == 25
    finally:
        inbox.release.set()
        server.stop()


def _settings(server: SmtpServer) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=server.port)


def test_two_deliverers_at_once_send_each_message_once(fresh_engine):
    """Small batches, started at the same instant: their claims interleave all the time."""
    engine = fresh_engine()
    _queue(engine, 200)
    server = SmtpServer().start()
    try:
        start = time.time() + 3
        processes = [_deliverer(engine, server.port, batch=2, start=start) for _ in range(2)]
        counts = [int(p.communicate(timeout=120)[0].strip()) for p in processes]
        assert len(server.inbox.messages) == 200 and len(set(server.inbox.ids())) == 200
        assert sum(counts) == 200 and min(counts) > 0  # both worked, neither twice
    finally:
        server.stop()
    with unit_of_work(engine) as session:
        session.execute(update(Notification).values(email_state="off"))


def test_failed_mail_is_shown_to_admins_and_requeued_from_the_page(client, session,
                                                                   password_hash):
    from tests.web_support import post, sign_in, text
    f.program(session)
    _people(session)
    user = session.scalars(select(User).where(User.username == "applicant-city")).one()
    failed = Notification(dedup_key="test:failed", kind="window_closing", occurrence="before-1",
                          user_id=user.id, fiscal_year=f.FY, due_on=f.DECISION,
                          email_state="failed", attempts=12,
                          last_error="SMTPRecipientsRefused: 550 no such user")
    session.add(failed)
    session.flush()
    sign_in(client, session, f.secretariat(), password_hash)
    assert client.get("/admin/notifications").status_code == 403
    sign_in(client, session, f.ADMIN, password_hash)
    assert "送信できなかったメール（1 件）" in text(client.get("/admin").text)
    page = text(client.get("/admin/notifications").text)
    assert "令和7年度の申請受付は" in page and "550 no such user" in page and "city@example.jp" in page
    assert client.post("/admin/notifications/requeue", data={"id": str(failed.id)},
                       follow_redirects=False).status_code == 403  # no CSRF token
    for garbage in (["abc"], [str(failed.id), "-1"], ["9" * 40], ["1\x00"]):
        refused = post(client, "/admin/notifications/requeue", {"id": garbage})
        assert refused.status_code == 422 and "送信待ちに戻すメール" in text(refused.text)
        session.refresh(failed)
        assert failed.email_state == "failed"  # not read as "none chosen", which means all
    answer = post(client, "/admin/notifications/requeue", {"id": str(failed.id)})
    assert answer.status_code == 303
    assert "1 件を送信待ちに戻しました" in text(client.get(answer.headers["location"]).text)
    session.refresh(failed)
    assert failed.email_state == "pending" and failed.attempts == 0

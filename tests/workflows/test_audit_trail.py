"""SPEC §5: every accepted action appends a hash-chained event; tampering is detected."""

import pytest
from sqlalchemy import exc, select, text
from typer.testing import CliRunner

from grants.cli import app
from grants.core.db import unit_of_work
from grants.core.models import AuditEvent
from tests import factories as f
from workflows import audit


def _lifecycle(session) -> None:
    f.program(session)
    f.grant_in(session, "published")  # create + 8 actions = events 1..9
    f.grant_in(session, "rejected", f.TOWN)  # events 10..13


def _allow_tampering(session) -> None:
    """What an intruder with database rights would do first: switch the guard off."""
    if session.bind.dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update"))
    else:
        session.execute(text("DROP TRIGGER audit_events_no_update"))
        session.execute(text("DROP TRIGGER audit_events_no_delete"))


def _verify(session) -> audit.Verification:
    session.expire_all()
    return audit.verify(session)


def test_every_accepted_action_appends_an_event_with_actor_amounts_and_reason(session):
    f.program(session)
    grant = f.grant_in(session, "awarded")
    f.act(session, grant, "cancel", {"reason": "事業中止のため"})
    events = session.scalars(select(AuditEvent).where(AuditEvent.grant_id == grant.id)
                             .order_by(AuditEvent.seq)).all()
    assert [e.action for e in events] == ["create", "submit", "start_review", "award", "cancel"]
    award, cancel = events[3], events[4]
    assert (award.from_state, award.to_state) == ("under_review", "awarded")
    assert (award.actor, award.actor_role) == ("secretariat-shichoson-chosakai", "secretariat")
    assert award.amounts == {"awarded_yen": 300_000} and award.occurred_at == f.LATER
    assert cancel.reason == "事業中止のため"
    assert cancel.amounts == {"released_yen": 300_000, "refund_due_yen": 0}
    assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + 5))


def test_intact_chain_verifies(session):
    _lifecycle(session)
    result = _verify(session)
    assert result.ok and result.events == 13 and result.first_broken is None


def test_chain_detects_a_changed_event(session):
    _lifecycle(session)
    _allow_tampering(session)
    session.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE seq = 4"))
    result = _verify(session)
    assert (result.ok, result.first_broken) == (False, 4) and "altered" in result.problem


def test_chain_detects_a_changed_event_whose_hash_was_recomputed(session):
    _lifecycle(session)
    _allow_tampering(session)
    event = session.get(AuditEvent, 4)
    forged = audit.event_hash(event.model_copy(update={"reason": "forged"}))
    session.execute(text("UPDATE audit_events SET reason = 'forged', hash = :h WHERE seq = 4"),
                    {"h": forged})
    result = _verify(session)
    assert (result.ok, result.first_broken) == (False, 5)


def test_chain_detects_a_deleted_event(session):
    _lifecycle(session)
    _allow_tampering(session)
    session.execute(text("DELETE FROM audit_events WHERE seq = 6"))
    result = _verify(session)
    assert (result.ok, result.first_broken) == (False, 6) and "missing" in result.problem


def test_chain_detects_a_deleted_last_event(session):
    _lifecycle(session)
    _allow_tampering(session)
    session.execute(text("DELETE FROM audit_events WHERE seq = 13"))
    result = _verify(session)
    assert (result.ok, result.first_broken) == (False, 13)


def test_chain_detects_reordered_events(session):
    _lifecycle(session)
    _allow_tampering(session)
    for old, new in ((3, 1000), (4, 3), (1000, 4)):
        session.execute(text("UPDATE audit_events SET seq = :new WHERE seq = :old"),
                        {"old": old, "new": new})
    result = _verify(session)
    assert (result.ok, result.first_broken) == (False, 3)


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET reason = 'x' WHERE seq = 1",
    "DELETE FROM audit_events WHERE seq = 1",
])
def test_audit_events_are_append_only_in_the_database(session, statement):
    _lifecycle(session)
    with pytest.raises(exc.DatabaseError, match="append-only"):
        with session.begin_nested():
            session.execute(text(statement))
    assert _verify(session).ok


def test_cli_audit_verify_reports_ok_or_the_first_broken_event(fresh_engine, monkeypatch):
    engine = fresh_engine()
    with unit_of_work(engine) as session:
        _lifecycle(session)
    monkeypatch.setenv("GRANTS_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    from grants.core.settings import get_settings
    get_settings.cache_clear()
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "OK" in ok.output and "13 件" in ok.output
    with unit_of_work(engine) as session:
        _allow_tampering(session)
        session.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE seq = 7"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "イベント 7" in broken.output
    get_settings.cache_clear()
    engine.dispose()


def test_verification_reads_one_snapshot_while_events_are_appended(fresh_engine):
    """The walk and the chain head come from one snapshot: an action committed in between
    must not make an intact trail look cut short."""
    from sqlalchemy import func

    engine = fresh_engine()
    with unit_of_work(engine) as session:
        _lifecycle(session)
    with unit_of_work(engine, write=False) as reading:
        before = reading.scalar(select(func.count()).select_from(AuditEvent))
        with unit_of_work(engine) as writing:
            grant = f.grant_in(writing, "draft", f.WARD)
            f.act(writing, grant, "withdraw")
        assert reading.scalar(select(func.count()).select_from(AuditEvent)) == before
        result = audit.verify(reading)
        assert (result.ok, result.events) == (True, before)
    engine.dispose()

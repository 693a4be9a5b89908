"""SPEC §4: every accepted action is one transaction with its audit event, or nothing."""

import hashlib
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from grants.core.db import unit_of_work
from grants.core.models import AuditEvent, AuditHead, Commitment, Document, Grant, Program
from tests import factories as f
from workflows import hooks


def _trace(session, grant_id: int) -> tuple:
    session.expire_all()
    grant = session.get(Grant, grant_id).model_dump()
    return (grant, session.get(Commitment, (f.CITY, f.FY)).committed_yen,
            session.get(Program, f.FY).committed_yen,
            session.scalar(select(func.count()).select_from(AuditEvent)),
            session.get(AuditHead, 1).model_dump())


@contextmanager
def failing_notifier():
    """Fails the action at its very end: after the cap moved and the event was written."""
    def explode(ctx, event):
        raise RuntimeError("mail queue unavailable")

    hooks.notifiers.append(explode)
    try:
        yield
    finally:
        hooks.notifiers.remove(explode)


def test_exception_in_the_middle_of_an_action_leaves_no_trace(session):
    f.program(session)
    grant = f.grant_in(session, "under_review")
    before = _trace(session, grant.id)
    with pytest.raises(RuntimeError, match="mail queue"), failing_notifier():
        f.act(session, grant, "award")
    assert _trace(session, grant.id) == before
    assert grant.state == "under_review" and grant.awarded_yen is None


def test_exception_leaves_no_trace_in_a_committed_database(fresh_engine):
    engine = fresh_engine()
    with unit_of_work(engine) as session:
        f.program(session)
        grant_id = f.grant_in(session, "under_review").id
    with unit_of_work(engine) as session:
        before = _trace(session, grant_id)
    with pytest.raises(RuntimeError), failing_notifier():
        with unit_of_work(engine) as session:
            f.act(session, session.get(Grant, grant_id), "award")
    with unit_of_work(engine) as session:
        assert _trace(session, grant_id) == before
    engine.dispose()


def test_documents_issued_by_an_action_are_recorded_in_its_event(session):
    f.program(session)
    grant = f.grant_in(session, "report_submitted")
    f.act(session, grant, "confirm")
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert [d["form"] for d in event.documents] == [7]
    f.act(session, grant, "request_payment")  # the municipality's 交付請求書 follows
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert [d["form"] for d in event.documents] == [8]
    for entry in event.documents:
        stored = session.get(Document, entry["id"])
        assert hashlib.sha256(stored.content).hexdigest() == entry["sha256"] == stored.sha256
        assert stored.grant_id == grant.id and stored.form == entry["form"]


def test_a_failed_action_issues_no_document(session):
    f.program(session)
    grant = f.grant_in(session, "under_review")
    documents = session.scalar(select(func.count()).select_from(Document))
    with pytest.raises(RuntimeError), failing_notifier():
        f.act(session, grant, "award")
    assert session.scalar(select(func.count()).select_from(Document)) == documents

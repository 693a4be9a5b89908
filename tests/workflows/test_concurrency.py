"""SPEC §4: the cap holds when many secretariat users award at the same moment."""

import threading

from sqlalchemy import func, select

from grants.core.db import unit_of_work
from grants.core.errors import Refused
from grants.core.models import AuditEvent, Commitment, Document, Grant
from tests import factories as f
from workflows import audit
from workflows.apply import apply

THREADS = 32


def _prepare(engine, count: int, requested: int) -> list[int]:
    with unit_of_work(engine) as session:
        f.program(session)
        return [f.grant_in(session, "under_review", requested_yen=requested).id
                for _ in range(count)]


def _award_all_at_once(engine, grant_ids: list[int], amount: int) -> tuple[list, list]:
    barrier = threading.Barrier(len(grant_ids))
    awarded, refused, failures = [], [], []

    def award(grant_id: int) -> None:
        barrier.wait()
        try:
            with unit_of_work(engine) as session:
                apply(session, grant_id, "award", f.secretariat(),
                      {"awarded_yen": amount, "decision_date": "2025-05-20"}, now=f.LATER)
            awarded.append(grant_id)
        except Refused as error:
            refused.append(error.code)
        except Exception as error:  # noqa: BLE001 - any other failure fails the test below
            failures.append(repr(error))

    threads = [threading.Thread(target=award, args=(gid,)) for gid in grant_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    return awarded, refused


def test_cap_holds_under_concurrent_awards(fresh_engine):
    engine = fresh_engine()
    grant_ids = _prepare(engine, THREADS, requested=150_000)

    awarded, refused = _award_all_at_once(engine, grant_ids, 150_000)

    # 1,000,000 // 150,000: exactly six awards fit, every other one is refused for the cap.
    assert len(awarded) == 6
    assert refused == ["cap_exceeded"] * (THREADS - 6)
    with unit_of_work(engine, write=False) as session:
        states = session.scalars(select(Grant.state).where(Grant.id.in_(grant_ids))).all()
        assert sorted(states).count("awarded") == 6
        total = session.scalar(select(func.sum(Grant.awarded_yen))
                               .where(Grant.state == "awarded"))
        assert total == 900_000
        assert session.get(Commitment, (f.CITY, f.FY)).committed_yen == 900_000
        awards = session.scalar(select(func.count()).select_from(AuditEvent)
                                .where(AuditEvent.action == "award"))
        assert awards == 6
        assert audit.verify(session).ok
        # Every award issued its notice, numbered without gaps or repeats.
        numbers = session.scalars(select(Document.number).where(Document.form == 2)).all()
        assert sorted(numbers) == sorted(f"7市調環第{n}号" for n in range(1, 7))
    engine.dispose()


def test_budget_holds_under_concurrent_awards_across_municipalities(fresh_engine):
    engine = fresh_engine()
    codes = [f.CITY, f.TOWN, "132021", "132039", "132047", "132055", "132063", "132071"]
    with unit_of_work(engine) as session:
        f.program(session, budget_yen=1_000_000)
        grant_ids = [f.grant_in(session, "under_review", code, requested_yen=300_000).id
                     for code in codes]

    awarded, refused = _award_all_at_once(engine, grant_ids, 300_000)

    assert len(awarded) == 3 and refused == ["budget_exceeded"] * 5
    with unit_of_work(engine, write=False) as session:
        committed = session.scalar(select(func.sum(Commitment.committed_yen)))
        assert committed == 900_000
    engine.dispose()

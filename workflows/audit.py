"""The audit trail: append-only, hash-chained events (SPEC §5).

Each event's hash covers all its fields and the previous event's hash, so changing,
deleting or reordering any event breaks the chain from that point. The head row holds the
last number and hash; appending locks it, which gives events consecutive numbers even
under concurrency and lets ``verify`` notice a trail cut short at the end.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Row, bindparam, select
from sqlmodel import Session

from grants.core.models import AuditEvent, AuditHead

GENESIS = "0" * 64
AUDIT_EVENTS = AuditEvent.__table__
HEAD_LOCK = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
HEAD_UPDATE = AuditHead.__table__.update().where(AuditHead.__table__.c.id == 1).values(
    seq=bindparam("seq"), hash=bindparam("hash"))


def event_hash(event: AuditEvent | Row) -> str:
    occurred = event.occurred_at.astimezone(timezone.utc).isoformat(timespec="microseconds")
    payload = {
        "seq": event.seq,
        "grant_id": event.grant_id,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "actor": event.actor,
        "actor_role": event.actor_role,
        "occurred_at": occurred,
        "amounts": event.amounts,
        "reason": event.reason,
        "documents": event.documents,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(session: Session, *, grant_id: int | None, action: str, from_state: str | None,
           to_state: str | None, actor: str, actor_role: str, occurred_at: datetime,
           amounts: dict | None = None, reason: str | None = None,
           documents: list | None = None) -> AuditEvent:
    # Locking the head row serialises appends: consecutive numbers, each linked to the last.
    connection = session.connection()
    seq, prev_hash = connection.execute(HEAD_LOCK).one()
    event = AuditEvent(
        seq=seq + 1, grant_id=grant_id, action=str(action),
        from_state=None if from_state is None else str(from_state),
        to_state=None if to_state is None else str(to_state),
        actor=actor, actor_role=str(actor_role), occurred_at=occurred_at.astimezone(timezone.utc),
        amounts=amounts or {}, reason=reason, documents=documents or [], prev_hash=prev_hash,
    )
    event.hash = event_hash(event)
    # Plain Core on the tables: the event is written once and never changes, so it needs
    # none of the ORM's change tracking, and appends are on every action's path.
    connection.execute(AUDIT_EVENTS.insert(), event.model_dump())
    connection.execute(HEAD_UPDATE, {"seq": event.seq, "hash": event.hash})
    return event


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    first_broken: int | None = None
    problem: str | None = None


def verify(session: Session) -> Verification:
    """Walk the chain from the first event; report the first one that does not hold. The
    events stream past as plain rows, a thousand at a time: memory stays flat however long
    the trail."""
    expected_seq, expected_prev, count = 1, GENESIS, 0
    # A context manager, so that stopping at a broken event closes the server-side cursor.
    with session.execute(select(AUDIT_EVENTS).order_by(AUDIT_EVENTS.c.seq)
                         .execution_options(yield_per=1000)) as events:
        for event in events:
            count += 1
            if event.seq != expected_seq:
                return Verification(False, count, expected_seq, f"event {expected_seq} is missing")
            if event.prev_hash != expected_prev:
                return Verification(False, count, event.seq,
                                    f"event {event.seq} does not follow event {event.seq - 1}")
            if event_hash(event) != event.hash:
                return Verification(False, count, event.seq, f"event {event.seq} was altered")
            expected_seq, expected_prev = event.seq + 1, event.hash
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq, head.hash) != (expected_seq - 1, expected_prev):
        return Verification(False, count, expected_seq,
                            f"the trail ends at event {expected_seq - 1} "
                            f"but the chain head records event {head.seq}")
    return Verification(True, count)

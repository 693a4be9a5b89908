"""A file attached to a grant (an estimate, a photo, a receipt): one transaction with its
audit event (``attach``), so the trail tells who supplied which file and in which state.
What may be stored is ``grants.core.attachments``."""

from datetime import datetime

from sqlmodel import Session

from grants.core import access, attachments
from grants.core.actors import Actor
from grants.core.clock import utcnow
from grants.core.models import Attachment
from workflows import audit
from workflows.apply import lock


def attach(session: Session, grant_id: int, actor: Actor, filename: str | None, content: bytes,
           *, now: datetime | None = None) -> Attachment:
    now = now or utcnow()
    grant, municipality, _org, _program = lock(session, grant_id)  # the state the event records
    access.may_attach(actor, municipality.code, municipality.org_id).check()
    record = attachments.store(session, grant, actor, filename, content, now=now)
    audit.append(session, grant_id=grant.id, action="attach", from_state=grant.state,
                 to_state=grant.state, actor=actor.username, actor_role=actor.role,
                 occurred_at=now, documents=[{"attachment": record.id,
                                              "filename": record.filename,
                                              "sha256": record.sha256}])
    return record

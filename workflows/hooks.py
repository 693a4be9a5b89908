"""Where documents and notifications attach to an action.

``apply`` calls the document issuers before it writes the audit event (the event records
each issued document's SHA-256) and the notifiers after it, all inside the action's
transaction, so an action and everything it issues or queues commit or vanish together.
The packages above register here (``grants.operations.plugins`` does it for the app, the command line,
the scheduler and the tests); workflows never imports them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from pydantic import BaseModel
from sqlmodel import Session

from grants.core.actors import Actor
from grants.core.clock import japan_date
from grants.core.models import AuditEvent, Grant, Municipality, Org, Program
from workflows.machine import State, Transition


@dataclass
class Context:
    """Everything an action's effect, issuers and notifiers may need."""

    session: Session
    grant: Grant
    municipality: Municipality
    org: Org
    program: Program
    actor: Actor
    transition: Transition
    body: BaseModel
    now: datetime
    from_state: State
    held_yen: int = 0  # what the grant held against the cap before the action
    amounts: dict = field(default_factory=dict)  # what the effect recorded, once it has run

    @property
    def today(self) -> date:
        return japan_date(self.now)


@dataclass(frozen=True)
class IssuedDocument:
    form: int
    sha256: str
    number: str | None = None
    document_id: int | None = None


DocumentIssuer = Callable[[Context], list[IssuedDocument]]
Notifier = Callable[[Context, AuditEvent], None]

document_issuers: list[DocumentIssuer] = []
notifiers: list[Notifier] = []

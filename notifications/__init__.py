"""Reminder rules, the outbox, the channels (e-mail, in-app inbox) and the clock that runs
them. Actions attach here through ``workflows.hooks.notifiers``; ``register`` does it, called
by ``grants.operations.plugins.install`` and never as a side effect of an import."""

from grants.core.actors import Role
from grants.core.models import AuditEvent
from grants.core.settings import get_settings
from notifications import outbox
from workflows import hooks
from workflows.hooks import Context


def notify_other_side(ctx: Context, event: AuditEvent) -> None:
    """Every action tells the other side, in the action's own transaction (SPEC §7)."""
    outbox.queue_action_notice(ctx.session, grant=ctx.grant, municipality=ctx.municipality,
                               taken_by=Role(ctx.transition.role), event_seq=event.seq,
                               action=str(ctx.transition.action), now=ctx.now,
                               email_on=get_settings().email_on)


def register() -> None:
    if notify_other_side not in hooks.notifiers:
        hooks.notifiers.append(notify_other_side)

"""Reminder rules, the outbox, the channels (e-mail, in-app inbox) and the clock that runs
them. Actions attach here through ``workflows.hooks.notifiers``."""

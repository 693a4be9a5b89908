"""The clock (APScheduler): every minute, queue what is due and deliver what is queued.

It is only a clock. What is due is decided from the database on each tick, and each
reminder's row exists once, so a tick missed while the process was down is made up by the
next one, and a second clock running by mistake adds nothing. ``GRANTS_SCHEDULER=on`` runs it
inside the web process; ``grants scheduler`` runs it alone."""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from grants.core.clock import JST, japan_date, utcnow
from grants.core.db import get_engine, unit_of_work
from grants.core.settings import Settings, get_settings
from notifications import delivery, outbox

log = logging.getLogger("grants.scheduler")


@dataclass
class Tick:
    scan: outbox.Scan
    delivery: delivery.Delivery


def tick(engine: Engine | None = None, *, today: date | None = None, now: datetime | None = None,
         settings: Settings | None = None) -> Tick:
    """One scan (for ``today``, Japan's date unless replaying a missed day) and one delivery."""
    engine, settings = engine or get_engine(), settings or get_settings()
    now = now or utcnow()
    with unit_of_work(engine) as session:
        scanned = outbox.scan(session, today=today or japan_date(now), now=now,
                              email_on=settings.email_on)
    delivered = delivery.deliver(engine, settings=settings)
    if scanned.total or delivered.sent or delivered.errors:
        log.info("reminders queued %s; e-mail sent %d, retried %d, failed %d",
                 scanned.queued, delivered.sent, delivered.retried, delivered.failed)
    return Tick(scanned, delivered)


def _schedule(scheduler, settings: Settings):
    scheduler.add_job(tick, IntervalTrigger(seconds=settings.scheduler_interval_seconds),
                      id="reminders", max_instances=1, coalesce=True,
                      next_run_time=datetime.now(JST))
    return scheduler


def start_background(settings: Settings | None = None) -> BackgroundScheduler:
    """The clock in a thread of the web process (GRANTS_SCHEDULER=on)."""
    scheduler = _schedule(BackgroundScheduler(timezone=JST), settings or get_settings())
    scheduler.start()
    return scheduler


def run_forever(settings: Settings | None = None) -> None:
    """The clock as its own process (``grants scheduler``), until interrupted."""
    _schedule(BlockingScheduler(timezone=JST), settings or get_settings()).start()

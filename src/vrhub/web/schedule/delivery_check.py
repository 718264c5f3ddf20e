"""The scheduled delivery check: the same check the steering group page and `vrhub delivery check` run
(tracking.raise_exceptions), then an email for each new item (notify.py), under one lease so that two
server processes never run it at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError
from django.utils import timezone

from vrhub.web.delivery.models import ExceptionReport
from vrhub.web.delivery.tracking import raise_exceptions
from vrhub.web.schedule import lease, notify
from vrhub.web.schedule.models import Notice

LEASE_NAME = "delivery-check"
SCHEDULE_USER = "system:schedule"  # the audit log's name for what the server does on its own


@dataclass
class CheckRun:
    ran: bool  # False: another holder had the lease
    raised: list[ExceptionReport] = field(default_factory=list)
    told: list[Notice] = field(default_factory=list)


def run(now: dt.datetime, holder: str, update_due_days: int) -> CheckRun:
    """One delivery check as of `now`. Idempotent: a second run raises and emails nothing new."""
    if not lease.acquire(LEASE_NAME, holder, now):
        return CheckRun(ran=False)
    try:
        today = timezone.localdate(now)
        try:
            raised = raise_exceptions(today, user=SCHEDULE_USER)
        except IntegrityError:
            # A page view raised the same report between our look and our write (the database's one open
            # report per trigger refused ours): the report exists, and the next run finds the rest.
            raised = []
        items = [
            *notify.exception_items(),
            *notify.overdue_items(today),
            *notify.update_items(today, update_due_days),
        ]
        return CheckRun(ran=True, raised=raised, told=notify.tell(iter(items)))
    finally:
        lease.release(LEASE_NAME, holder)

"""The server's scheduler: one daemon thread that wakes every VRHUB_REFRESH_EVERY seconds, refreshes the
figures and report after a load, and runs the delivery check every VRHUB_CHECK_EVERY seconds.

A thread in the server rather than cron or a task queue: `vrhub serve` is one process that already holds
the warehouse, and a broker would be one more service to run. Time comes from `clock` and a pass is
`tick()`, so tests advance a clock and call one tick instead of waiting."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from vrhub.web.schedule import delivery_check
from vrhub.web.schedule.refresh import Refresher

log = logging.getLogger(__name__)


@dataclass
class Tick:
    check: delivery_check.CheckRun | None = None  # None: the check was not due
    reports_started: list[str] = field(default_factory=list)


class Scheduler:
    def __init__(
        self,
        check_every: float,
        refresh_every: float,
        update_due_days: int = 30,
        clock: Callable[[], dt.datetime] = timezone.now,
        refresher: Refresher | None = None,
    ) -> None:
        self.check_every = check_every
        self.refresh_every = refresh_every
        self.update_due_days = update_due_days
        self.clock = clock
        self.refresher = refresher if refresher is not None or not refresh_every else Refresher()
        # Names this scheduler in the lease, so another process (or another scheduler) waits its turn.
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.next_check: dt.datetime | None = None  # None: at the first tick
        self._one_at_a_time = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> Tick:
        """One pass: the refresh if the warehouse changed, and the delivery check if it is due."""
        with self._one_at_a_time:
            done = Tick()
            if self.refresher is not None:
                done.reports_started = self.refresher.tick()
            now = self.clock()
            if self.check_every and (self.next_check is None or now >= self.next_check):
                done.check = delivery_check.run(now, self.holder, self.update_due_days)
                self.next_check = now + dt.timedelta(seconds=self.check_every)
            return done

    @property
    def wake_every(self) -> float:
        return min(s for s in (self.check_every, self.refresh_every) if s)

    def start(self) -> threading.Thread:
        self._thread = threading.Thread(target=self._run, name="vrhub-scheduler", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - a failed pass is logged and the next one tries again
                log.exception("scheduled work failed")
            finally:
                close_old_connections()  # this thread's database connection, as a request's would be
            self._stop.wait(self.wake_every)


def from_settings() -> Scheduler | None:
    """The scheduler the settings ask for, or None when both the check and the refresh are off."""
    check_every = float(settings.VRHUB_CHECK_EVERY)
    refresh_every = float(settings.VRHUB_REFRESH_EVERY)
    if not check_every and not refresh_every:
        return None
    return Scheduler(check_every, refresh_every, int(settings.VRHUB_UPDATE_DUE_DAYS))


def start(say: Callable[[str], None] = print) -> Scheduler | None:
    scheduler = from_settings()
    if scheduler is None:
        say("Scheduled work is off (VRHUB_CHECK_EVERY=0 and VRHUB_REFRESH_EVERY=0)")
        return None
    parts = []
    if scheduler.check_every:
        parts.append(f"delivery checks every {scheduler.check_every:g} s")
    if scheduler.refresh_every:
        parts.append(
            f"figures and report refreshed after a load (looked for every {scheduler.refresh_every:g} s)"
        )
    say("Scheduled work: " + "; ".join(parts))
    scheduler.start()
    return scheduler

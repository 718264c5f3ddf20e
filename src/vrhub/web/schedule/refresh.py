"""After a load, the dashboard's figures and the report, refreshed once per warehouse generation.

A load through the web (the upload worker) or by `vrhub ingest` against a PostgreSQL warehouse the server
reads changes the warehouse's generation (figures.generation). The next tick computes the figures the
overview needs, so the first visitor waits for none, and rewrites the report through the reports page's own
background job (dashboard/report_jobs.py) once a tick passes with no further load, one edition at a time:
the partner edition always, the public one when it has been written before (a published report must not go
stale; one never asked for is not written)."""

from __future__ import annotations

import logging

from vrhub.web import figures
from vrhub.web.dashboard import report_jobs

log = logging.getLogger(__name__)


class Refresher:
    def __init__(self, baseline: int | str | None = None) -> None:
        # The generation the server started on: its figures were computed at start-up, and its report is
        # whatever was last written.
        self.seen = figures.generation() if baseline is None else baseline
        self.pending: list[str] = []
        self.settling = False

    def tick(self) -> list[str]:
        """Warm the figures if the warehouse changed, and start the next report owed. Returns the editions
        started now."""
        current = figures.generation()
        if current != self.seen:
            self.seen = current
            figures.warm()
            # The report waits for a tick with no new load: a partner sending a batch of files gets one
            # report after the last, and the server is not writing one while the uploads still arrive.
            self.settling, self.pending = True, []
            return []
        if self.settling:
            self.settling = False
            self.pending = [e for e in report_jobs.EDITIONS if e == "partner" or report_jobs.files(e)]
        started = []
        # report_jobs writes one report at a time: start() refuses while another runs; try again next tick.
        if self.pending and report_jobs.start(self.pending[0]):
            started.append(self.pending.pop(0))
        return started

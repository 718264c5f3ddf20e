"""Raise exception reports for milestones and KPIs beyond tolerance (`vrhub manage delivery_check`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vrhub.web.accounts.audit import command_line_user
from vrhub.web.delivery.tracking import raise_exceptions


class Command(BaseCommand):
    help = "Raise PRINCE2 exception reports where a milestone or KPI is beyond tolerance (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Check as of this date (YYYY-MM-DD; default today).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = dt.date.fromisoformat(options["today"]) if options.get("today") else None
        raised = raise_exceptions(today, user=command_line_user())
        for report in raised:
            self.stdout.write(f"raised: {report.title}")
        self.stdout.write(f"{len(raised)} exception report(s) raised.")

"""Load the demo delivery records (`vrhub manage delivery_demo`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vrhub.web.delivery.demo import load_demo_delivery


class Command(BaseCommand):
    help = "Load demo delivery data: interventions, a funding round, tracker, feedback (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", default="2022-01-15", help="The demo's 'today' (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo_delivery(dt.date.fromisoformat(options["today"]))
        if not summary["loaded"]:
            self.stdout.write("The demo delivery data is already loaded.")
            return
        self.stdout.write(
            f"Loaded {summary['interventions']} interventions; "
            f"{summary['exception_reports']} exception report(s) raised."
        )

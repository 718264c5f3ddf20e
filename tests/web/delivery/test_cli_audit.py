"""`vrhub delivery ...` changes are audited under the person running the command ('cli:<account>'), never
under no name: the command line has no web sign-in, so the account on the machine stands for it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

pytestmark = pytest.mark.django_db


def test_a_name_with_no_web_account_is_kept_as_the_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from vrhub.web.accounts.audit import command_line_user, record

    monkeypatch.setenv("LOGNAME", "alice")  # getpass reads it first
    assert command_line_user() == "cli:alice"
    event = record(None, "delivery.create", user=command_line_user(), object_type="x", object_id=1)
    assert (event.username, event.user, event.path, event.ip_address) == ("cli:alice", None, "", None)


def test_the_exception_check_is_audited_under_the_person_running_it(
    intervention: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vrhub.cli import app
    from vrhub.web.accounts.models import AuditEvent
    from vrhub.web.delivery.models import Milestone

    for name in ("VRHUB_DATA_DIR", "VRHUB_DEBUG", "VRHUB_LOCAL_HTTP"):  # the command points Django at its
        monkeypatch.setenv(name, os.environ.get(name, ""))  # folder: put the environment back afterwards
    monkeypatch.setenv("LOGNAME", "alice")
    # Due 1 December with no tolerance: overdue beyond it on 2 December.
    Milestone.objects.create(
        intervention=intervention, title="Pathway agreed", due_date=dt.date(2021, 12, 1), tolerance_days=0
    )
    done = CliRunner().invoke(
        app, ["delivery", "check", "--today", "2021-12-02", "--data-dir", str(tmp_path)]
    )
    assert done.exit_code == 0, done.output
    assert "1 exception report(s) raised." in done.output
    (event,) = AuditEvent.objects.filter(action="delivery.exception_raised")
    assert (event.username, event.user) == ("cli:alice", None)

"""Django's own tables on PostgreSQL (VRHUB_WEB_DATABASE), as a deployment that outgrows SQLite sets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vrhub", "manage", *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_the_web_database_migrates_and_holds_users_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "VRHUB_DATA_DIR": str(tmp_path), "VRHUB_WEB_DATABASE": postgres_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    migrated = _manage("migrate", "--verbosity", "0", env=env)
    assert migrated.returncode == 0, migrated.stderr
    # demo_users and the count in one process: each `vrhub manage` starts Django and connects anew.
    counted = _manage(
        "shell",
        "-c",
        "from django.core.management import call_command; call_command('demo_users'); "
        "from django.db import connection; from django.contrib.auth.models import User; "
        "print(connection.vendor, User.objects.count())",
        env=env,
    )
    assert counted.returncode == 0, counted.stderr
    assert counted.stdout.strip().splitlines()[-1].split() == ["postgresql", "6"]
    assert not (tmp_path / "web.sqlite3").exists()

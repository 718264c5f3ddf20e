"""The suite stays quick to work in: a run of library tests never starts Django; a run of web tests does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# pytest runs in-process, once for each list of arguments; then: was Django imported by anything it loaded
# (plugins, conftests, test modules, fixtures)?
PROBE = """
import json, sys, pytest
for args in json.loads(sys.argv[1]):
    code = pytest.main(["-q", "-p", "no:cacheprovider", "-p", "no:xdist", *args])
    assert code == 0, (args, code)
print("django imported:", any(m == "django" or m.startswith("django.") for m in sys.modules))
"""


def django_imported(*runs: list[str]) -> bool:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(runs)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("django imported: "), done.stdout[-3000:]
    return last == "django imported: True"


@pytest.mark.slow
def test_library_tests_run_without_django_and_web_tests_with_it() -> None:
    # The statistics tests run (fixtures and all); every measures test module is collected (imported).
    assert not django_imported(["tests/stats"], ["--collect-only", "tests/measures"])
    assert django_imported(["--collect-only", "tests/web/test_skeleton.py"])

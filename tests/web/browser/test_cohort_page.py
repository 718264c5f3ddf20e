"""The cohort page in Chromium against the real server, on a warehouse with linked people (its own server:
the shared one serves a warehouse no one is linked in), checked by axe like the other pages."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import built_once
from tests.web.browser.conftest import Server, _env, _vrhub, axe_violations, screenshot, serve_copy, sign_in
from tests.web.cohorts.conftest import BIG, build_cohort_data

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def cohort_server(
    _initialised_warehouse: Path, tmp_path_factory: pytest.TempPathFactory, browser: object
) -> Iterator[Server]:
    def build(folder: Path) -> None:
        build_cohort_data(folder / "data", _initialised_warehouse)
        shutil.rmtree(folder / "data" / "input")
        env = _env(folder / "data")
        assert _vrhub("manage", "migrate", "--verbosity", "0", env=env).returncode == 0
        users = _vrhub("manage", "demo_users", env=env)
        assert users.returncode == 0, users.stderr
        import re

        passwords = dict(re.findall(r"^\s+(\w+)\s+(\S+)\s", users.stdout, flags=re.M))
        (folder / "passwords.json").write_text(json.dumps(passwords))

    served = built_once(tmp_path_factory, "cohort-served", build)
    with serve_copy(served, tmp_path_factory.mktemp("cohort-served") / "data") as running:
        yield running


def test_an_analyst_opens_a_cohort_from_the_navigation(page, cohort_server: Server) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, cohort_server, "analyst")
    page.get_by_role("link", name="Cohorts", exact=True).click()
    page.wait_for_url("**/cohorts/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Participants of Navigators").click()
    page.wait_for_url(f"**/cohorts/{BIG}/")
    assert page.locator('[data-chart="offending"] svg').is_visible()
    page.get_by_text("The chart's figures as a table").first.click()  # the table alternative opens
    assert page.locator('[data-table-alternative="offending"] table').is_visible()
    screenshot(page, "cohort")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Linkage", exact=True).click()
    page.wait_for_url("**/linkage/")
    assert axe_violations(page) == []
    assert errors == []  # no script or Content Security Policy errors

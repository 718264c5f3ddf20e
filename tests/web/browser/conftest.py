"""Browser tests: the real server (`vrhub serve`, waitress, production settings) in a subprocess on a
loopback port, driven by Debian's Chromium through Playwright, as a person would use it.

Screenshots go to build/screenshots (or $VRHUB_SCREENSHOTS) for people to look at.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import TEST_KEY, built_once, copy_warehouse

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("VRHUB_SCREENSHOTS", ROOT / "build" / "screenshots"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


@dataclass
class Server:
    url: str
    data_dir: Path
    passwords: dict[str, str]
    process: subprocess.Popen


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _vrhub(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vrhub", *args], env=env, capture_output=True, text=True, timeout=300
    )


def _env(data: Path) -> dict[str, str]:
    env = {**os.environ, "VRHUB_PSEUDONYM_KEY": TEST_KEY, "VRHUB_DATA_DIR": str(data)}
    # The scheduled checks and the report rewritten after a load are tested on their own (test_schedule*):
    # here a report written in the server's process mid-journey would only slow the pages being tested.
    env |= {"VRHUB_CHECK_EVERY": "0", "VRHUB_REFRESH_EVERY": "0"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("VRHUB_WAREHOUSE", None)
    return env


@pytest.fixture(scope="session")
def _served_data(_loaded_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's data folder, its web database migrated and the demo's users made (passwords.json),
    once per test run: each worker's server starts on a copy."""

    def build(folder: Path) -> None:
        data = copy_warehouse(_loaded_warehouse, folder / "data")
        made = _vrhub("manage", "migrate", "--verbosity", "0", env=_env(data))
        assert made.returncode == 0, made.stderr
        users = _vrhub("manage", "demo_users", env=_env(data))
        assert users.returncode == 0, users.stderr
        passwords = dict(re.findall(r"^\s+(\w+)\s+(\S+)\s", users.stdout, flags=re.M))
        (folder / "passwords.json").write_text(json.dumps(passwords))

    return built_once(tmp_path_factory, "served", build)


@contextlib.contextmanager
def serve_copy(served: Path, data: Path) -> Iterator[Server]:
    """`vrhub serve` on a free port over a copy of a built folder's data (its users in passwords.json);
    stopped, and the copy removed, afterwards."""
    shutil.copytree(served / "data", data)
    passwords = json.loads((served / "passwords.json").read_text())
    port = _free_port()
    log = open(data / "serve.log", "w")  # noqa: SIM115  (open for the server's lifetime)
    process = subprocess.Popen(
        [sys.executable, "-m", "vrhub", "serve", "--port", str(port)], env=_env(data), stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=5)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    "vrhub serve did not start:\n" + (data / "serve.log").read_text()
                ) from None
            time.sleep(0.5)
    try:
        yield Server(url, data, passwords, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make system-deps installs it)")
    served: Path = request.getfixturevalue("_served_data")  # after the skip: nothing made for nothing
    with serve_copy(served, tmp_path_factory.mktemp("served") / "data") as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make system-deps installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def sign_in(page: object, server: Server, username: str) -> None:
    page.goto(server.url + "/accounts/login/")  # type: ignore[attr-defined]
    page.get_by_label("User name").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(server.passwords[username])  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r".*/dashboard/.*|.*/(?!accounts/login).*"))  # type: ignore[attr-defined]


def screenshot(page: object, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def axe_violations(page: object) -> list[dict]:
    """axe-core's serious and critical violations on the page as it stands."""
    page.evaluate(AXE.read_text())  # type: ignore[attr-defined]
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")  # type: ignore[attr-defined]
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]

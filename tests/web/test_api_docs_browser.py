"""The API's documentation page works in a browser under our Content Security Policy: Swagger UI is served
from this server (the CSP and the network both refuse a CDN) and renders every operation, with no CSP
violation reported."""

from __future__ import annotations

import json
import os
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(
    os.environ.get("VRHUB_SCREENSHOTS", Path(__file__).resolve().parents[2] / "build" / "screenshots")
)
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def docs_server(settings) -> Iterator[str]:
    from django.core.handlers.wsgi import WSGIHandler

    settings.SECURE_SSL_REDIRECT = False  # plain HTTP on loopback, as `vrhub serve` runs locally
    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_docs_page_renders_every_operation_under_the_csp(docs_server: str) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make system-deps installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            requested: list[str] = []
            page.on("request", lambda r: requested.append(r.url))
            response = page.goto(docs_server + "/api/docs")
            assert "script-src 'self'" in response.headers["content-security-policy"]
            page.wait_for_selector(".opblock", timeout=30_000)
            operations = page.locator(".opblock").count()
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "api-docs.png"), full_page=True)
        finally:
            browser.close()
    with urllib.request.urlopen(docs_server + "/api/openapi.json") as spec:
        paths = json.load(spec)["paths"]
    assert operations == sum(len(methods) for methods in paths.values())  # every operation in the spec
    assert not [m for m in problems if "Content Security Policy" in m or "Refused" in m], problems
    assert all(url.startswith(docs_server) for url in requested), requested  # nothing from elsewhere

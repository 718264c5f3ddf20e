"""The API's documentation page works in a browser under our Content Security Policy: Swagger UI is served
from this server (the CSP and the network both refuse a CDN) and renders every operation in the spec, with
no CSP violation and no request to another host."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.web.browser.conftest import Server, screenshot

pytestmark = pytest.mark.browser


def test_docs_page_renders_every_operation_under_the_csp(page, server: Server) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    response = page.goto(server.url + "/api/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=30_000)
    operations = page.locator(".opblock").count()
    screenshot(page, "api-docs")
    with urllib.request.urlopen(server.url + "/api/openapi.json") as spec:
        paths = json.load(spec)["paths"]
    assert operations == sum(len(methods) for methods in paths.values())
    assert not [m for m in problems if "Content Security Policy" in m or "Refused" in m], problems
    assert all(url.startswith(server.url) for url in requested), [
        u for u in requested if not u.startswith(server.url)
    ]

"""No page scrolls sideways (QA stop 16, items 8 and 14): at a phone's 375px and a laptop's 1280px the page is
no wider than the window (tables scroll in their own box, charts shrink to theirs, a long chart title wraps),
and an administrator's menu sits on one row at 1280px with "Sign out" on it. Every delivery page too, with
the demo's delivery records loaded, so its tables have rows (QA stop 17: applications 693px, steering 590px
at 375px)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.web.browser.conftest import CHROMIUM, Server, _env, _vrhub, screenshot, serve_copy, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ["/", "/dashboard/", "/measures/local_sv_offences/", "/boroughs/E08000011/", "/quality/", "/linkage/"]


@pytest.mark.parametrize("width", [375, 1280])
def test_no_page_is_wider_than_the_window(server: Server, browser, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, server, "admin")
    wide = {}
    for path in PAGES:
        page.goto(server.url + path)
        if "measures" in path:
            page.wait_for_selector(".vrhub-chart svg")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[path] = scroll
        screenshot(page, f"width-{width}{path.replace('/', '_')}")
    assert wide == {}
    if width == 1280:
        rows = page.evaluate(
            "() => new Set([...document.querySelectorAll('.govuk-service-navigation__item')]"
            ".map(i => Math.round(i.getBoundingClientRect().top))).size"
        )
        assert rows == 1
    context.close()


@pytest.fixture(scope="module")
def delivery_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A server of its own over the demo's delivery records (the shared one's register stays as the other
    browser tests leave it)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make system-deps installs it)")
    served: Path = request.getfixturevalue("_served_data")
    folder = tmp_path_factory.mktemp("delivery_width")
    shutil.copytree(served / "data", folder / "data")
    shutil.copy(served / "passwords.json", folder / "passwords.json")
    loaded = _vrhub("manage", "delivery_demo", env=_env(folder / "data"))
    assert loaded.returncode == 0, loaded.stderr
    with serve_copy(folder, tmp_path_factory.mktemp("delivery_width_served") / "data") as running:
        yield running


def _delivery_pages(page: object, server: Server) -> list[str]:
    """Every page the delivery pages link to (each list and each record of the demo), no form or download."""
    seen, queue = set(), ["/delivery/"]
    while queue and len(seen) < 80:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page.goto(server.url + path)  # type: ignore[attr-defined]
        links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")  # type: ignore[attr-defined]
        for link in links:
            found = urlparse(link)
            if found.netloc != urlparse(server.url).netloc or not found.path.startswith("/delivery/"):
                continue
            if found.path.endswith(("/new/", "/edit/", ".json", ".csv", "/give/", "/raise/", "/pack/")):
                continue
            if found.path not in seen:
                queue.append(found.path)
    return sorted(seen)


@pytest.mark.parametrize("width", [375, 1280])
def test_no_delivery_page_is_wider_than_the_window(delivery_server: Server, browser, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, delivery_server, "admin")
    paths = _delivery_pages(page, delivery_server)
    assert {"/delivery/applications/", "/delivery/steering/", "/delivery/interventions/"} <= set(paths)
    wide = {}
    for path in paths:
        page.goto(delivery_server.url + path)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > page.evaluate("window.innerWidth"):
            wide[path] = scroll
    for path in ("/delivery/applications/", "/delivery/steering/"):
        page.goto(delivery_server.url + path)
        screenshot(page, f"width-{width}{path.replace('/', '_')}")
    assert wide == {}, f"{len(paths)} delivery pages, these wider than {width}px: {wide}"
    context.close()


def test_the_favicon_is_served(server: Server, page) -> None:
    response = page.goto(server.url + "/favicon.ico")
    assert response.ok and response.url.endswith("/static/vendor/govuk/assets/images/favicon.ico")

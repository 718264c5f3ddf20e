"""No page scrolls sideways (QA stop 16, items 8 and 14): at a phone's 375px and a laptop's 1280px the page is
no wider than the window (tables scroll in their own box, charts shrink to theirs, a long chart title wraps),
and an administrator's menu sits on one row at 1280px with "Sign out" on it."""

from __future__ import annotations

import pytest

from tests.web.browser.conftest import Server, screenshot, sign_in

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


def test_the_favicon_is_served(server: Server, page) -> None:
    response = page.goto(server.url + "/favicon.ico")
    assert response.ok and response.url.endswith("/static/vendor/govuk/assets/images/favicon.ico")

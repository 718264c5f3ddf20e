"""A person's journeys through the dashboard, in Chromium against the real server (see conftest.py).

The tests in this module share one server and run in order: the uploads change its warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.web.browser.conftest import Server, axe_violations, screenshot, sign_in
from vrhub.measures import load_catalogue

pytestmark = pytest.mark.browser

POLICE = FIXTURES / "police-records"


def _sv_offences_2019(page, server: Server) -> str:
    """Merseyside's 2019 serious violence offences, as the measure page's period table shows them."""
    page.goto(server.url + "/measures/local_sv_offences/")
    table = page.locator("table", has=page.locator("caption", has_text="Merseyside, by period"))
    return (
        table.locator("tr", has=page.locator("th", has_text=re.compile(r"^2019\b")))
        .locator("td")
        .first.inner_text()
    )


def _upload(page, server: Server, source: str, path: Path) -> None:
    page.goto(server.url + "/uploads/new/")
    page.locator(f"input[name=source][value={source}]").check()
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Upload and check the file").click()
    # The page polls the worker and reloads itself when the load has ended.
    page.get_by_role("heading", name=re.compile("Validation report|The file was refused")).wait_for(
        timeout=60_000
    )


def test_an_analyst_reads_the_overview_and_opens_a_measure(page, server: Server) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, server, "analyst")
    page.goto(server.url + "/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Success measures")
    assert page.get_by_role("heading", name="Home Office success measures").is_visible()
    # The table of every measure leads, each row with its verdict and a sparkline named by its figures.
    glance = page.get_by_role("table", name=re.compile("latest full period"))
    assert glance.is_visible()
    row = glance.locator("#glance-local_sv_offences")
    assert row.locator(".govuk-tag").inner_text() in (
        "better",
        "worse",
        "no significant change",
        "too few to tell",
        "not tested",
        "changed",
        "may be a recording change",
    )
    assert (
        page.locator("#at-a-glance").bounding_box()["y"]
        < page.locator(".vrhub-card").first.bounding_box()["y"]
    )
    screenshot(page, "overview")
    title = load_catalogue().get("local_sv_offences").title
    page.get_by_role("link", name=title, exact=True).first.click()
    page.wait_for_url("**/measures/local_sv_offences/")
    page.locator("[data-vrhub-chart] svg").first.wait_for()  # the trend chart drew itself under the CSP
    assert page.get_by_text("Definition version").is_visible()
    screenshot(page, "measure")
    assert errors == []  # no script or Content Security Policy errors


def test_a_partner_uploads_a_bad_file_reads_its_errors_then_a_good_file_changes_the_figures(
    page, server: Server, tmp_path: Path
) -> None:
    sign_in(page, server, "police")

    _upload(page, server, "police-records", POLICE / "bad.csv")
    quarantined = page.locator("table", has=page.locator("caption", has_text="Problems"))
    assert quarantined.is_visible()
    text = quarantined.inner_text()
    assert "offence_code" in text and "age" in text  # field named for each quarantined row
    screenshot(page, "upload-bad")

    _upload(page, server, "police-records", POLICE / "missing_columns.csv")
    assert page.get_by_text("committed_date").first.is_visible()  # the refusal names the missing column
    assert page.get_by_role("heading", name="What to fix").is_visible()
    screenshot(page, "upload-refused")

    before = _sv_offences_2019(page, server)
    # The good fixture (five serious violence offences, counted by hand) with new crime and person
    # references, so that they are new crimes.
    fresh = tmp_path / "police-extract-new.csv"
    fresh.write_text((POLICE / "good.csv").read_text().replace("MP/19/", "MP/19/N").replace("PERS-", "NEW-"))
    _upload(page, server, "police-records", fresh)
    assert "Rows loaded" in page.locator("main").inner_text()
    screenshot(page, "upload-good")
    after = _sv_offences_2019(page, server)
    assert int(after.replace(",", "")) == int(before.replace(",", "")) + 5


def test_a_partner_is_refused_another_agencys_upload(page, server: Server) -> None:
    sign_in(page, server, "police")
    _upload(page, server, "police-records", POLICE / "missing_columns.csv")  # an upload of police's own
    href = page.url.removeprefix(server.url)
    assert re.fullmatch(r"/uploads/\d+/", href)
    page.context.clear_cookies()
    sign_in(page, server, "health")
    for path in (href, href + "quarantine.csv", href + "rows/"):
        response = page.goto(server.url + path)
        assert response is not None and response.status in (403, 404), path
    assert "Page not found" in page.content() or "do not have access" in page.content()
    screenshot(page, "partner-refused")


def test_the_public_page_needs_no_sign_in_and_hides_small_numbers(page, server: Server) -> None:
    page.goto(server.url + "/")
    assert page.get_by_role("heading", level=1).is_visible()
    body = page.locator("main").inner_text()
    assert "*" in body and "rounded" in body.lower()
    assert "Sign in" in page.locator("nav").inner_text()
    screenshot(page, "public")


PAGES = [
    "/",
    "/accounts/login/",
    "/dashboard/",
    "/measures/local_sv_offences/",
    "/boroughs/E08000012/",
    "/hotspots/",
    "/quality/",
    "/definitions/",
    "/reports/",
    "/uploads/",
    "/uploads/new/",
]


def test_main_pages_have_no_serious_or_critical_accessibility_violations(page, server: Server) -> None:
    sign_in(page, server, "analyst")
    found = {}
    for path in PAGES:
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page)
        if violations:
            found[path] = [(v["id"], v["impact"], len(v["nodes"])) for v in violations]
    assert found == {}

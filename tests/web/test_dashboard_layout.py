"""Page furniture (QA stop 16, items 8, 12, 14): a unit said once, tables in their own scrolling box, and
/favicon.ico answered. The widths themselves are measured in a browser (browser/test_page_width.py)."""

from __future__ import annotations

import re

import pytest

from vrhub.web.dashboard.templatetags.dashboard_format import figure, unit_words

pytestmark = pytest.mark.django_db


def test_a_percentage_carries_its_unit_once() -> None:
    assert figure(4.4, "percent") == "4.4%" and unit_words("percent") == ""
    assert unit_words("victim_incidents") == "victim incidents"


@pytest.mark.slow
def test_the_overview_says_percent_once(web_data, client_as) -> None:
    # The fixture's indicators: local_absence_primary is a percentage (2020-03 for Knowsley: 3%).
    html = client_as("analyst").get("/dashboard/?area=E08000011", secure=True).content.decode()
    assert "% percent" not in html and "percent," not in html
    assert re.search(r"\d%<br><span class=\"govuk-body-s\">2020-03</span>", html)


@pytest.mark.slow
@pytest.mark.parametrize(
    "path", ["/", "/dashboard/", "/measures/local_sv_offences/", "/boroughs/E08000011/", "/quality/"]
)
def test_every_table_scrolls_in_its_own_box(web_data, client_as, path) -> None:
    html = client_as("analyst").get(path, secure=True).content.decode()
    tables = html.count("<table")
    assert tables and len(re.findall(r'<div class="vrhub-table-scroll"[^>]*>\s*<table', html)) == tables


def test_the_favicon_is_gov_uks(client) -> None:
    response = client.get("/favicon.ico", secure=True)
    assert (
        response.status_code == 301
        and response["Location"] == "/static/vendor/govuk/assets/images/favicon.ico"
    )

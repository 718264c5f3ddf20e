"""One disclosure rule per role (QA stop 16, item 1): the roles the reports page gives the public edition
(programme manager, viewer) see the dashboard and /api/measures under the public edition's small-number
protection; the roles given the partner edition (admin, analyst, partner) see exact counts.

Hand counts (tests/fixtures/police-records/good.csv, see test_dashboard.py): local_sv_offences 2019 is 5 in
Merseyside, 2 in Knowsley, 1 in St Helens; ho_non_domestic_homicide 2019 is 1 in Knowsley (crime 000126).
Under the HES rule a count of 1 to 7 below the force area is '*'.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from vrhub.config import FORCE_CODE

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

KNOWSLEY, ST_HELENS = "E08000011", "E08000013"
PUBLIC_ROLES = ["viewer", "programme_manager"]
EXACT_ROLES = ["analyst", "partner"]


def _borough_figure(html: str, measure: str, code: str) -> str:
    """The Figure cell of `measure`'s row on a borough page."""
    found = re.search(
        rf'href="/measures/{measure}/#area-{code}">.*?</th>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>([^<]*)</td>',
        html,
        re.S,
    )
    assert found, f"no row for {measure} on the borough page"
    return found.group(1).strip()


def _area_figure(html: str, code: str) -> str:
    """The figure cell of `code`'s row in a measure page's borough table."""
    found = re.search(rf'id="area-{code}">.*?</th>\s*<td[^>]*>([^<]*)</td>', html, re.S)
    assert found, f"no row for {code} on the measure page"
    return found.group(1).strip()


def _public(client: object, measure: str) -> dict[str, object]:
    items = client.get(f"/api/public/measures?measure={measure}&period=year", secure=True).json()["items"]
    return {r["area_code"]: r["value"] for r in items if r["period"] == "2019" and not r["breakdown"]}


@pytest.mark.parametrize("role", PUBLIC_ROLES)
def test_public_edition_roles_see_the_public_editions_figures(web_data, client_as, role) -> None:
    from django.test import Client

    person = client_as(role)
    public = _public(Client(), "local_sv_offences")
    assert public[KNOWSLEY] == "*" and public[FORCE_CODE] == 5  # the rule the public page applies

    borough = person.get(f"/boroughs/{KNOWSLEY}/", secure=True).content.decode()
    assert _borough_figure(borough, "ho_non_domestic_homicide", KNOWSLEY) == "*"
    assert _borough_figure(borough, "local_sv_offences", KNOWSLEY) == "*"
    assert 'id="small-numbers"' in borough

    page = person.get("/measures/local_sv_offences/", secure=True).content.decode()
    for code, value in public.items():
        if code != FORCE_CODE:
            assert _area_figure(page, code) == ("*" if value == "*" else f"{value:,}"), code
    assert _area_figure(page, FORCE_CODE) == "5"  # the force-wide total is exact in every edition

    overview = person.get(f"/dashboard/?area={KNOWSLEY}", secure=True).content.decode()
    assert '<span class="vrhub-figure">2</span>' not in overview
    assert '<span class="vrhub-figure">*</span> offences' in overview

    items = person.get(f"/api/measures?measure=local_sv_offences&area={KNOWSLEY}", secure=True).json()[
        "items"
    ]
    year = [r for r in items if r["period"] == "2019" and r["breakdown"] == ""]
    assert [(r["value"], r["p_value"], r["rate_per_100k"]) for r in year] == [("*", None, None)]
    # Borough months are not published: a borough's months add up to its year.
    assert not [r for r in items if r["period"].startswith("2019-")]

    rows = list(
        csv.DictReader(
            io.StringIO(person.get("/measures/local_sv_offences.csv", secure=True).content.decode())
        )
    )
    below_force = [r for r in rows if r["area_code"] != FORCE_CODE or r["breakdown"]]
    assert below_force and all(r["value"] == "*" or float(r["value"]) % 5 == 0 for r in below_force)


@pytest.mark.parametrize("role", EXACT_ROLES)
def test_partner_edition_roles_see_exact_counts(web_data, client_as, role) -> None:
    person = client_as(role, "Merseyside Police")
    borough = person.get(f"/boroughs/{KNOWSLEY}/", secure=True).content.decode()
    assert _borough_figure(borough, "ho_non_domestic_homicide", KNOWSLEY) == "1"
    assert _borough_figure(borough, "local_sv_offences", KNOWSLEY) == "2"
    assert 'id="small-numbers"' not in borough

    page = person.get("/measures/local_sv_offences/", secure=True).content.decode()
    assert _area_figure(page, KNOWSLEY) == "2" and _area_figure(page, ST_HELENS) == "1"

    items = person.get(f"/api/measures?measure=local_sv_offences&area={KNOWSLEY}", secure=True).json()[
        "items"
    ]
    year = [r for r in items if r["period"] == "2019" and r["breakdown"] == ""]
    assert [r["value"] for r in year] == [2]


def test_the_reports_page_and_the_dashboard_read_one_rule(web_data, client_as) -> None:
    from vrhub.web.accounts.access import sees_exact_counts
    from vrhub.web.dashboard.report_views import editions_for

    for role in ("admin", "analyst", "partner", "programme_manager", "viewer"):
        person = client_as(role).get("/reports/", secure=True).wsgi_request.user
        assert ("partner" in editions_for(person)) == sees_exact_counts(person), role

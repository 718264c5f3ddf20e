"""The cohort pages: aggregates under the small-number rules for every role, the chart with its table
alternative and CSV twins; the analyst's person-level view, audited, and refused (403, audited) to every
other role; the linkage quality page for analysts and administrators only."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from pathlib import Path

import pytest

from tests.web.cohorts.conftest import BIG, SMALL, TINY
from vrhub.cohorts.outcomes import CAVEATS

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROLES = ("admin", "analyst", "partner", "programme_manager", "viewer")


def _rounded(n: int) -> str:
    """The published count: 1 to 7 hidden, else to the nearest 5 (half away from zero)."""
    return "*" if 1 <= n <= 7 else str(int(n / 5 + 0.5) * 5)


def _participants(folder: Path, intervention: str) -> int:
    with (folder / "input" / "participants.csv").open() as handle:
        return sum(1 for r in csv.DictReader(handle) if r["intervention"] == intervention)


def _cell(text: str, attribute: str) -> str:
    match = re.search(rf"<dd[^>]*{attribute}[^>]*>([^<]*)</dd>", text)
    assert match, attribute
    return html.unescape(match[1]).strip()


def _csv(response: object) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))  # type: ignore[attr-defined]


def test_the_list_shows_members_rounded_and_a_small_cohort_hidden(
    cohort_data: Path, _cohort_data: Path, client_as
) -> None:
    viewer = client_as("viewer")
    response = viewer.get("/cohorts/", secure=True)
    assert response.status_code == 200
    text = response.content.decode()
    members = dict(re.findall(r'data-cohort="([^"]+)".*?data-members>([^<]*)<', text, re.S))
    assert members[BIG] == _rounded(_participants(_cohort_data, "Navigators"))
    assert members[TINY] == "*"  # three people
    rows = {r["name"]: r for r in _csv(viewer.get("/cohorts.csv", secure=True))}
    assert rows[TINY]["members"] == "*" and rows[BIG]["members"] == members[BIG]
    assert rows[BIG]["kind"] == "participants" and rows["young-knife-victims-2019"]["kind"] == "rule"
    listed = viewer.get("/cohorts.json", secure=True).json()
    assert {r["name"] for r in listed["results"]} == set(rows)


def test_signed_out_people_are_sent_to_sign_in(cohort_data: Path, client) -> None:
    for url in ("/cohorts/", f"/cohorts/{BIG}/", f"/cohorts/{BIG}/members/", "/linkage/"):
        response = client.get(url, secure=True)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_cohort_page_has_curves_with_a_table_estimates_balance_and_caveats(
    cohort_data: Path, client_as
) -> None:
    response = client_as("viewer").get(f"/cohorts/{BIG}/?follow_up=6,12", secure=True)
    assert response.status_code == 200
    text = response.content.decode()
    # The offending curve: an SVG drawn on the server, then the same figures as a table, month by month.
    chart = re.search(r'data-chart="offending".*?</figure>', text, re.S)
    assert chart and "<svg" in chart[0] and 'role="img"' in chart[0]
    table = re.search(r'data-table-alternative="offending".*?</details>', text, re.S)
    assert table
    months = re.findall(r'<tr class="govuk-table__row">\s*<td[^>]*>(\d+)</td>', table[0])
    assert months == [str(m) for m in range(1, 13)]
    estimates = re.search(r'data-estimates="offending".*?</table>', text, re.S)
    assert estimates and re.findall(r'<tr class="govuk-table__row">\s*<td[^>]*>(\d+)</td>', estimates[0]) == [
        "6",
        "12",
    ]
    assert re.search(r'data-hazard-ratio="offending">[^<]*<strong>0\.\d\d</strong> \(95% CI 0\.\d\d to', text)
    assert "data-balance" in text and "Contacts (12 months before)" in text
    for caveat in CAVEATS:
        assert html.escape(caveat, quote=True) in text or caveat in html.unescape(text)
    assert f"/cohorts/{BIG}/members/" not in text  # a viewer is not offered the people
    shown = client_as("analyst").get(f"/cohorts/{BIG}/", secure=True).content.decode()
    assert f"/cohorts/{BIG}/members/" in shown


def test_the_csv_twin_gives_the_figures_a_call_for_those_months_gives(cohort_data: Path, client_as) -> None:
    from vrhub.web.warehouse import hub

    rows = _csv(client_as("viewer").get(f"/cohorts/{BIG}.csv?follow_up=6,12", secure=True))
    expected = hub().cohort_outcomes(BIG, "6,12").estimates
    assert len(rows) == len(expected) and {r["follow_up_months"] for r in rows} == {"6", "12"}
    for got, want in zip(rows, expected.to_dict("records"), strict=True):
        for column in (
            "outcome",
            "cohort_people",
            "cohort_with_outcome",
            "cohort_proportion",
            "hazard_ratio",
        ):
            value = want[column]
            shown = "" if value is None or value != value else str(value)
            assert got[column] == shown, (column, got, want)


def test_a_small_cohort_is_published_only_as_hidden_counts(cohort_data: Path, client_as) -> None:
    analyst = client_as("analyst")
    response = analyst.get(f"/cohorts/{TINY}/", secure=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert _cell(text, "data-members") == "*" and _cell(text, "data-matched") == "*"
    rows = _csv(analyst.get(f"/cohorts/{TINY}.csv", secure=True))
    assert rows and all(r["cohort_people"] == "*" and r["comparison_people"] == "*" for r in rows)
    # With one or two people with the outcome, no proportion is shown, on the page or in the chart.
    offending = [r for r in rows if r["outcome"] == "offending" and r["cohort_with_outcome"] == "*"]
    assert offending and all(r["cohort_proportion"] == "*" for r in offending)


def test_a_bad_follow_up_is_the_error_page(cohort_data: Path, client_as) -> None:
    response = client_as("viewer").get(f"/cohorts/{BIG}/?follow_up=six", secure=True)
    assert response.status_code == 422
    assert 'data-parameter="follow_up"' in response.content.decode()


def _first_offence_after(folder: Path, person_ref: str, start: dt.date) -> dt.date | None:
    with (folder / "input" / "police.csv").open() as handle:
        days = [
            dt.date.fromisoformat(r["committed_date"])
            for r in csv.DictReader(handle)
            if r["person_ref"] == person_ref and r["person_role"] == "suspect"
        ]
    later = [d for d in days if d > start]
    return min(later) if later else None


def test_the_analyst_sees_the_people_and_the_view_is_audited(
    cohort_data: Path, _cohort_data: Path, client_as
) -> None:
    from vrhub.web.accounts.models import AuditEvent

    analyst = client_as("analyst")
    response = analyst.get(f"/cohorts/{TINY}/members/?follow_up=6,12", secure=True)
    assert response.status_code == 200
    text = response.content.decode()
    rows = re.findall(
        r"<tr class=\"govuk-table__row\">\s*<td[^>]*>([^<]*)</td>\s*<td[^>]*><code>([^<]*)</code></td>\s*"
        r"<td[^>]*>([^<]*)</td>\s*<td[^>]*><code>([^<]*)</code></td>\s*<td[^>]*>([^<]*)</td>\s*"
        r"<td[^>]*>([^<]*)</td>",
        text,
    )
    members = {person for _, person, group, *_ in rows if group == "cohort"}
    assert members and members <= set(SMALL)
    # Each member's first offence is the first suspect record after their start (1 March 2019).
    for outcome, person, group, _, _start, on in rows:
        if outcome == "offending" and group == "cohort":
            first = _first_offence_after(_cohort_data, f"PERS-{person[1:]}", dt.date(2019, 3, 1))
            assert on == (first.isoformat() if first else ""), person
    event = AuditEvent.objects.get(action="cohort.person_level_view")
    assert event.username == "analyst-none" and event.object_type == "cohort" and event.object_id == TINY
    assert event.detail["cohort"] == TINY and event.detail["follow_up"] == [6, 12]
    assert event.detail["rows_shown"] == event.detail["rows_total"] == len(rows)  # all of them fit the page
    assert event.detail["people_shown"] == len({person for _, person, *_ in rows})
    assert event.detail["format"] == "html"
    download = analyst.get(f"/cohorts/{TINY}/members.csv", secure=True)
    assert download.status_code == 200 and _csv(download)[0].keys() >= {"person_id", "start_date"}
    assert AuditEvent.objects.filter(action="cohort.person_level_view", detail__format="csv").count() == 1


def test_the_audit_of_the_people_says_what_the_page_showed_and_what_the_csv_gave(
    cohort_data: Path, client_as, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page shows the first rows of a large cohort and says so ("100 of 460 rows"); the CSV gives every
    row. Each view's event records the rows (and distinct people) shown and the total, so the log says what
    was seen. The page's limit is lowered to 100 here: this cohort's 460 rows fit under the real 500."""
    from vrhub.web.accounts.models import AuditEvent
    from vrhub.web.dashboard import cohort_views

    monkeypatch.setattr(cohort_views, "MEMBERS_SHOWN", 100)
    analyst = client_as("analyst")
    text = analyst.get(f"/cohorts/{BIG}/members/?follow_up=6", secure=True).content.decode()
    page_people = re.findall(
        r"<tr class=\"govuk-table__row\">\s*<td[^>]*>[^<]*</td>\s*<td[^>]*><code>([^<]*)<", text
    )
    every = _csv(analyst.get(f"/cohorts/{BIG}/members.csv?follow_up=6", secure=True))
    assert len(page_people) == 100 < len(every)
    assert f"100 of {len(every)} rows" in text
    seen, downloaded = AuditEvent.objects.filter(action="cohort.person_level_view").order_by("id")
    assert seen.detail["format"] == "html" and downloaded.detail["format"] == "csv"
    assert (seen.detail["rows_shown"], seen.detail["rows_total"]) == (100, len(every))
    assert seen.detail["people_shown"] == len(set(page_people)) < seen.detail["people_total"]
    people = len({r["person_id"] for r in every})
    assert seen.detail["people_total"] == downloaded.detail["people_total"] == people
    assert downloaded.detail["rows_shown"] == downloaded.detail["rows_total"] == len(every)
    assert downloaded.detail["people_shown"] == people


@pytest.mark.parametrize("role", [r for r in ROLES if r != "analyst"])
def test_every_other_role_is_refused_the_people_and_the_refusal_audited(
    cohort_data: Path, client_as, role: str
) -> None:
    from vrhub.web.accounts.models import AuditEvent

    refused_client = client_as(role)
    for url in (f"/cohorts/{TINY}/members/", f"/cohorts/{TINY}/members.csv"):
        response = refused_client.get(url, secure=True)
        assert response.status_code == 403, (role, url)
        assert "person_id" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="cohort.person_level_view").exists()
    refused = AuditEvent.objects.filter(action="access_denied", object_type="cohort")
    assert refused.count() == 2 and {e.detail["view"] for e in refused} == {"cohort_members"}


def test_the_linkage_page_is_for_analysts_and_administrators(cohort_data: Path, client_as) -> None:
    from vrhub.web.warehouse import hub

    quality = hub().link_quality()
    for role in ("analyst", "admin"):
        response = client_as(role).get("/linkage/", secure=True)
        assert response.status_code == 200
        text = response.content.decode()
        assert _cell(text, "data-precision") == str(quality.estimated["precision"])
        assert _cell(text, "data-recall") == str(quality.estimated["recall"])
        assert _cell(text, "data-people") == f"{quality.people['people']:,}"  # thousands separated
        runs = re.search(r"data-runs>.*?</table>", text, re.S)
        assert runs and re.search(r"<td class=\"govuk-table__cell\">1</td>", runs[0])
        assert "<svg" in text  # the match weights, drawn
        assert 'href="/linkage/"' in text  # in the service navigation
    for role in ("viewer", "partner", "programme_manager"):
        refused = client_as(role)
        assert refused.get("/linkage/", secure=True).status_code == 403
        assert 'href="/linkage/"' not in refused.get("/cohorts/", secure=True).content.decode()


def test_the_linkage_page_says_when_nothing_is_linked(web_data: Path, client_as) -> None:
    response = client_as("analyst").get("/linkage/", secure=True)
    assert response.status_code == 200
    assert "data-missing" in response.content.decode()


def test_a_follow_up_past_the_data_has_no_figures_on_the_page_its_twins_and_the_api(
    cohort_data: Path, client_as, token_for
) -> None:
    """Starts fall in 2019 and the police records end in December 2021: no one is followed 48 months. The
    longest said is the analysed people's own, worked from their start and the records' end."""
    import numpy as np

    from tests.web.conftest import bearer
    from vrhub.cohorts.survival import DAYS_PER_MONTH
    from vrhub.web.warehouse import hub

    people = hub().cohort_outcomes(BIG, "6,48", person_level=True).people
    reach = people[people["outcome"] == "offending"].groupby("group")["reach"].max()
    assert reach.max() < 48 * DAYS_PER_MONTH  # both groups short of it: the cohort, checked first, is named
    longest = int(np.floor(reach["cohort"] / DAYS_PER_MONTH))
    note = f"beyond the longest follow-up observed: {longest} months (cohort)"
    viewer = client_as("viewer")
    text = html.unescape(viewer.get(f"/cohorts/{BIG}/?follow_up=6,48", secure=True).content.decode())
    assert f"No figures: {note}." in text
    assert '<span class="govuk-caption-l" data-kind>Participants of an intervention</span>' in text
    assert re.search(r'data-hazard-ratio="offending">[^<]*<strong>0\.\d\d</strong>', text)
    rows = {
        r["follow_up_months"]: r
        for r in _csv(viewer.get(f"/cohorts/{BIG}.csv?follow_up=6,48", secure=True))
        if r["outcome"] == "offending"
    }
    assert rows["48"]["follow_up_note"] == note and rows["6"]["follow_up_note"] == ""
    assert (
        rows["48"]["cohort_proportion"]
        == rows["48"]["hazard_ratio"]
        == rows["48"]["cohort_with_outcome"]
        == ""
    )
    assert rows["6"]["cohort_proportion"] != "" and rows["48"]["cohort_people"] == rows["6"]["cohort_people"]
    _, key = token_for("partner", "Merseyside Police")
    body = bearer(key).get(f"/api/cohorts/{BIG}/outcomes", {"follow_up": "6,48"}, secure=True).json()
    api = [r for r in body["estimates"] if r["outcome"] == "offending" and r["follow_up_months"] == 48][0]
    assert (
        api["follow_up_note"] == note and api["cohort_proportion"] is None and api["risk_difference"] is None
    )


def test_the_members_table_scrolls_inside_the_page(cohort_data: Path, client_as) -> None:
    text = client_as("analyst").get(f"/cohorts/{BIG}/members/", secure=True).content.decode()
    assert re.search(
        r'<div class="vrhub-table-scroll" tabindex="0" role="region"[^>]*>\s*<table[^>]*data-members', text
    )

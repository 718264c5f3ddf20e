"""`vrhub quality`, `vrhub trends` and `vrhub hotspots` as a user reads them: nothing loaded is said per
source, a source's months, gaps and lateness are reported, and bad or empty periods are named."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import copy_warehouse
from vrhub.cli import app
from vrhub.config import settings
from vrhub.hub import Hub
from vrhub.quality import check_quality

pytestmark = pytest.mark.slow  # each test loads files through the whole ingest (0.5 s or more)

runner = CliRunner()
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context"
)
PLACE = (
    "Merseyside Police,Merseyside Police,-2.873875,53.485290,On or near Harleston Road,E01006448,"
    "Knowsley 001A"
)
SOURCES = [
    "police-records",
    "police-uk",
    "ed-attendances",
    "hospital-admissions",
    "ambulance",
    "fire",
    "indicators",
]


def street(month: str, n: int, crime_type: str = "Robbery", start: int = 0) -> list[str]:
    return [f"{start + i:064x},{month},{PLACE},{crime_type},Under investigation," for i in range(n)]


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> Path:
    return copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("understand-empty"))


@pytest.fixture(scope="module")
def two_months(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> Path:
    """police.uk for 2019-09 (3 robberies, 1 anti-social behaviour) and 2019-12 (2 robberies): 2019-10 and
    2019-11 missing between them."""
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("understand-police-uk"))
    rows = (
        street("2019-09", 3) + [f",2019-09,{PLACE},Anti-social behaviour,,"] + street("2019-12", 2, start=10)
    )
    path = folder / "street.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    list(Hub(settings(data_dir=folder)).ingest("police-uk", [path]))
    return folder


def vrhub(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, " ".join(result.output.split())


def test_quality_on_an_empty_warehouse_says_each_source_is_not_loaded(empty: Path) -> None:
    code, said = vrhub("quality", "--data-dir", str(empty))
    assert code == 0, said
    assert "Nothing is loaded: no source has any rows" in said
    assert "findings: none." not in said
    assert "not loaded, so not checked: " + ", ".join(SOURCES) + "." in said.lower()
    code, text = vrhub("quality", "--data-dir", str(empty), "--format", "json")
    doc = json.loads(runner.invoke(app, ["quality", "--data-dir", str(empty), "--format", "json"]).stdout)
    assert [(s["source"], s["status"], s["rows"]) for s in doc["sources"]] == [
        (s, "not loaded", 0) for s in SOURCES
    ]
    assert not [f for f in doc["findings"] if f["check"] != "private_files"]


def test_trends_on_an_empty_warehouse_says_what_is_not_loaded(empty: Path) -> None:
    code, said = vrhub("trends", "--data-dir", str(empty))
    assert code == 0, said
    assert (
        "Nothing is loaded for police_records (source police-records), which local_sv_offences counts" in said
    )
    assert not said.endswith("none.")


def test_trends_of_a_reported_indicator_says_so(empty: Path) -> None:
    code, said = vrhub("trends", "--data-dir", str(empty), "-m", "local_absence_primary")
    assert code == 0, said
    assert (
        "local_absence_primary (School absence, primary (average across Merseyside)) is a reported indicator"
        in said
    )
    assert "no monthly series to trend" in said and "None of its values is loaded" in said


def test_quality_json_gives_each_source_its_months_gaps_lateness_and_fields(two_months: Path) -> None:
    result = runner.invoke(app, ["quality", "--data-dir", str(two_months), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    [uk] = [s for s in doc["sources"] if s["source"] == "police-uk"]
    today = dt.date.today()
    behind = (today.year - 2019) * 12 + today.month - 12  # months from 2019-12 to this month
    assert {k: uk[k] for k in ("status", "rows", "first", "last", "months", "missing_months", "gaps")} == {
        "status": "late",
        "rows": 6,
        "first": "2019-09",
        "last": "2019-12",
        "months": 2,
        "missing_months": 2,
        "gaps": "2019-10 to 2019-11 (2 months)",
    }
    assert uk["months_behind"] == behind
    fields = {f["field"]: f for f in uk["fields"]}
    # Crime ID applies to the 5 crimes, not the anti-social behaviour row; Context is blank on all 6.
    assert (fields["crime_id"]["rows"], fields["crime_id"]["filled"], fields["crime_id"]["share"]) == (
        5,
        5,
        1.0,
    )
    assert (fields["context"]["rows"], fields["context"]["filled"], fields["context"]["share"]) == (6, 0, 0.0)
    assert fields["crime_type"]["lowest"] == 1.0
    [late] = [f for f in doc["findings"] if f["check"] == "late"]
    assert late["source"] == "police-uk" and late["severity"] == "warning" and late["value"] == behind
    assert (
        f"The latest police.uk month loaded is 2019-12, {behind} months before {today:%Y-%m}"
        in late["message"]
    )
    others = [s for s in doc["sources"] if s["source"] != "police-uk"]
    assert {s["status"] for s in others} == {"not loaded"}


def test_quality_table_shows_coverage_fields_and_what_was_not_checked(two_months: Path) -> None:
    code, said = vrhub("quality", "--data-dir", str(two_months))
    assert code == 0, said
    assert "Sources: months covered" in said and "Fields filled, by source" in said
    assert "2019-10 to 2019-11 (2 months)" in said
    assert "Not loaded, so not checked: police-records, ed-attendances" in said


def test_late_means_more_than_three_months_behind_today(two_months: Path) -> None:
    with Hub(settings(data_dir=two_months)).open(read_only=True) as wh:
        on_time = check_quality(wh, "police-uk", today=dt.date(2020, 3, 31))  # 2019-12 is 3 months back
        late = check_quality(wh, "police-uk", today=dt.date(2020, 4, 1))  # 4 months back
    assert on_time.coverage.loc[0, "status"] == "loaded" and on_time.coverage.loc[0, "months_behind"] == 3
    assert "late" not in set(on_time.findings["check"])
    assert late.coverage.loc[0, "status"] == "late" and late.coverage.loc[0, "months_behind"] == 4
    [finding] = late.findings[late.findings["check"] == "late"].to_dict("records")
    assert finding["month"] is None and finding["value"] == 4 and finding["expected"] == 3


def test_trends_marks_the_months_with_no_data(two_months: Path) -> None:
    code, said = vrhub("trends", "--data-dir", str(two_months), "-m", "police_uk_sv_proxy")
    assert code == 0, said
    assert "no data: 2019-10 to 2019-11 (2 months with nothing loaded" in said
    result = runner.invoke(
        app, ["trends", "--data-dir", str(two_months), "-m", "police_uk_sv_proxy", "-f", "csv"]
    )
    # 3 robberies in 2019-09, 2 in 2019-12: the CSV keeps its rows only, the gap goes to stderr.
    assert [line.split(",")[:2] for line in result.stdout.splitlines()[1:]] == [
        ["2019-09", "3.0"],
        ["2019-12", "2.0"],
    ]


def test_hotspots_names_a_start_after_the_end(two_months: Path) -> None:
    code, said = vrhub("hotspots", "--data-dir", str(two_months), "--from", "2021-06", "--to", "2021-01")
    assert code == 2
    assert "Error: the start (2021-06) is after the end (2021-01)" in said
    assert "--from: Give the earlier month first, e.g. --from 2021-01 --to 2021-06." in said


def test_hotspots_with_nothing_in_the_period_names_the_months(two_months: Path, empty: Path) -> None:
    code, said = vrhub("hotspots", "--data-dir", str(two_months), "--from", "2021-06")
    assert code == 1
    assert "no police_uk_crimes rows loaded from 2021-06: the months loaded are 2019-09 to 2019-12" in said
    code, said = vrhub("hotspots", "--data-dir", str(empty))
    assert "no police_uk_crimes rows are loaded" in said and "the start" not in said and "the end" not in said
    assert "vrhub ingest police-uk FILE" in said

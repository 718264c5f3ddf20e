"""What every source must do, shown on each one's hand-written fixtures (tests/fixtures/<source>/):
good rows load; each kind of bad row is quarantined with its row number (the header is row 1), field and
reason; every row is accounted for; a file without a required column is refused whole; loading a file
again adds nothing; a failed load leaves the warehouse as it was."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.sources.helpers import ingest, quarantine_write_fails, quarantined, snapshot
from vrhub.errors import InputRefused
from vrhub.hub import Hub

MISSING = "missing value"
BAD_DATE = "not a date (expected YYYY-MM-DD or DD/MM/YYYY)"
BAD_DATETIME = "not a date and time (expected YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM)"
BAD_AGE = "age out of range or not a whole number (expected 0 to 120)"
TOO_MANY = "row has more fields than the header (an unquoted comma in a value?)"
TOO_FEW = "row has fewer fields than the header"
NOT_ALLOWED = "not one of the allowed values"
BAD_FLAG = "not a yes/no flag (expected Y or N)"


@dataclass(frozen=True)
class Case:
    source: str
    table: str
    good: str  # fixture file names, in tests/fixtures/<source>/
    good_rows: int
    bad: str
    bad_rows: int
    quarantine: tuple[tuple[int, str, str], ...]  # (row, field, reason or its start) for bad
    missing_file: str
    missing: tuple[str, ...]  # the required columns missing_file lacks
    new_row: str  # a row not in the good file, for the re-export test
    good_duplicates: int = 0  # reference data: good rows identical to what vrhub ships

    def path(self, name: str) -> Path:
        return FIXTURES / self.source / name


CASES = [
    Case(
        "police-records",
        "police_records",
        "good.csv",
        7,
        "bad.csv",
        9,
        (
            (3, "committed_date", BAD_DATE),
            (4, "offence_code", "unknown Home Office offence code"),
            (5, "age", BAD_AGE),
            (6, "(whole row)", TOO_MANY),
            (7, "sex", TOO_FEW),
            (8, "recorded_date", MISSING),
            (9, "person_role", NOT_ALLOWED + " (victim, suspect, none)"),
            (10, "knife_flag", BAD_FLAG),
        ),
        "missing_columns.csv",
        ("committed_date",),
        "MP/19/000129,2019-09-01,2019-09-01,8N,N,N,N,E01006412,victim,PERS-0009,20,F",
    ),
    Case(
        "police-uk",
        "police_uk_crimes",
        "2019-09-merseyside-street-sample.csv",
        200,
        "bad.csv",
        10,
        (
            (3, "Month", "not a month (expected YYYY-MM)"),
            (4, "Crime type", NOT_ALLOWED),
            # An unquoted comma in Location with Context blank: DuckDB drops the empty last field, so the row
            # reads whole with its values shifted right, and they fail where they landed.
            (5, "Crime type", NOT_ALLOWED),
            (5, "LSOA code", "not an LSOA code"),
            (5, "Last outcome category", "not a police.uk outcome, and Context is filled"),
            (6, "Context", TOO_FEW),
            (7, "Month", MISSING),
            (8, "Crime type", MISSING),
            (9, "Last outcome category", "not a police.uk outcome, and Context is filled"),
            (10, "Longitude", "not a number"),
            (11, "LSOA code", "not an LSOA code"),
        ),
        "missing_columns.csv",
        ("Crime ID",),
        "bbbb000000000000000000000000000000000000000000000000000000000001,2019-09,Merseyside Police,"
        "Merseyside Police,-2.873875,53.485290,On or near Harleston Road,E01006448,Knowsley 001A,"
        "Robbery,Under investigation,",
    ),
    Case(
        "ed-attendances",
        "ed_attendances",
        "good.csv",
        5,
        "bad.csv",
        8,
        (
            (3, "assault_datetime", BAD_DATETIME),
            (4, "assault_method", NOT_ALLOWED),
            (5, "age", BAD_AGE),
            (6, "(whole row)", TOO_MANY),
            (7, "admitted", TOO_FEW),
            (8, "site_code", MISSING),
            (9, "admitted", BAD_FLAG),
        ),
        "missing_columns.csv",
        ("assault_datetime",),
        "ED-0006,RBN01,2019-03-06 12:00,2019-03-06 11:00,feet,,street,,31,M,E01006412,,N",
    ),
    Case(
        "hospital-admissions",
        "hospital_admissions",
        "good.csv",
        6,
        "bad.csv",
        8,
        (
            (3, "admission_date", BAD_DATE),
            (4, "icd10_cause", "not an ICD-10 external cause code"),
            (5, "age", BAD_AGE),
            (6, "(whole row)", TOO_MANY),
            (7, "lsoa_code", TOO_FEW),
            (8, "admission_date", MISSING),
            (9, "sex", "not a sex code (expected M, F or U)"),
        ),
        "missing_columns.csv",
        ("icd10_cause", "lsoa_code"),
        "ADM-0007,9434765196,2019-05-01,X99,25,M,E01006412",
    ),
    Case(
        "ambulance",
        "ambulance_callouts",
        "good.csv",
        4,
        "bad.csv",
        8,
        (
            (3, "call_datetime", BAD_DATETIME),
            (4, "category", NOT_ALLOWED),
            (5, "age", BAD_AGE),
            (6, "(whole row)", TOO_MANY),
            (7, "lsoa_code", TOO_FEW),
            (8, "category", MISSING),
            (9, "lsoa_code", "not an LSOA code (expected E01 or W01 and six digits)"),
        ),
        "missing_columns.csv",
        ("call_datetime", "lsoa_code"),
        "AMB-0005,2019-03-05 05:00,assault,40,M,E01006412",
    ),
    Case(
        "fire",
        "fire_incidents",
        "good.csv",
        4,
        "bad.csv",
        6,
        (
            (3, "incident_date", BAD_DATE),
            (4, "incident_type", NOT_ALLOWED),
            (5, "(whole row)", TOO_MANY),
            (6, "lsoa_code", TOO_FEW),
            (7, "incident_date", MISSING),
        ),
        "missing_columns.csv",
        ("incident_date",),
        "FIRE-0005,2019-03-06,deliberate_primary,E01006412",
    ),
    Case(
        "indicators",
        "indicators",
        "good.csv",
        4,
        "bad.csv",
        7,
        (
            (3, "period", "not a period (expected 2019, 2019/20, 2019-Q2 or 2019-06)"),
            (4, "area_code", "not an ONS area code"),
            (5, "value", "not a number"),
            (6, "(whole row)", TOO_MANY),
            (7, "unit", TOO_FEW),
            (8, "indicator_id", MISSING),
        ),
        "missing_columns.csv",
        ("period",),
        "local_neet_16_17,E08000012,2019,6.1,percent,",
    ),
    Case(
        "areas",
        "lsoa_lookup",
        "good.csv",
        3,
        "bad.csv",
        7,
        (
            (3, "lsoa_vintage", NOT_ALLOWED + " (2011, 2021)"),
            (4, "lsoa_code", "not an LSOA code"),
            (5, "(whole row)", TOO_MANY),
            (6, "lad_name", TOO_FEW),
            (7, "lsoa_code", MISSING),
            (8, "lad_code", "not an ONS area code"),
        ),
        "missing_columns.csv",
        ("lsoa_vintage", "lad_code"),
        "2011,E01012345,Darlington 015D,E06000005,Darlington,E23000008,Durham",
        good_duplicates=2,
    ),
    Case(
        "population",
        "population",
        "ONS2020_sample.csv",
        3,
        "ONS2020_bad.csv",
        7,
        (
            (3, "5", "not a whole number"),
            (4, "10", "not a whole number"),
            (5, "(whole row)", TOO_MANY),
            (6, "90+", TOO_FEW),
            (7, "0", MISSING),
            (8, "Code", "not an ONS area code"),
        ),
        "ONS2020_missing_columns.csv",
        ("All ages",),
        (FIXTURES / "population" / "extra_row.csv").read_text().strip(),
        good_duplicates=1,  # Knowsley, as shipped
    ),
]
IDS = [c.source for c in CASES]


def table_rows(hub: Hub, table: str) -> list[tuple]:
    return snapshot(hub)[table]


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.slow
def test_good_rows_load(hub: Hub, case: Case) -> None:
    before = len(table_rows(hub, case.table))
    summary = ingest(hub, case.source, case.path(case.good))
    assert summary.rows_read == case.good_rows
    assert summary.rows_quarantined == 0 and quarantined(hub, case.good) == []
    assert summary.duplicates_skipped == case.good_duplicates
    assert summary.rows_loaded == case.good_rows - case.good_duplicates
    per_row = 91 if case.source == "population" else 1  # one row per single year of age
    assert len(table_rows(hub, case.table)) == before + summary.rows_loaded * per_row
    [load] = [r for r in hub.loads().to_pylist() if r["load_id"] == summary.load_id]
    assert (load["file_name"], load["source"], load["rows_read"], load["rows_loaded"]) == (
        case.good,
        case.source,
        summary.rows_read,
        summary.rows_loaded,
    )


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.slow
def test_each_bad_row_is_quarantined_with_its_row_field_and_reason(hub: Hub, case: Case) -> None:
    summary = ingest(hub, case.source, case.path(case.bad))
    found = quarantined(hub, case.bad)
    assert [(row, field) for row, field, _ in found] == [(row, field) for row, field, _ in case.quarantine]
    for (_, _, reason), (row, field, expected) in zip(found, case.quarantine, strict=True):
        assert reason.startswith(expected), (row, field, reason)
    assert summary.rows_read == case.bad_rows
    assert summary.rows_quarantined == len({row for row, _, _ in case.quarantine})
    # The first data row of every bad file is good (for reference data, identical to what is shipped).
    assert summary.rows_loaded + summary.duplicates_skipped == 1
    # The summary counts rows by field and reason, with the first row of each.
    first: dict[tuple[str, str], int] = {}
    for row, field, reason in found:
        first.setdefault((field, reason), row)
    assert {(p["field"], p["reason"]): p["first_row"] for p in summary.problems} == first
    assert all(type(p["first_row"]) is int for p in summary.problems)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_file_without_a_required_column_is_refused_whole(hub: Hub, case: Case) -> None:
    before = snapshot(hub)
    path = case.path(case.missing_file)
    with pytest.raises(InputRefused) as refused:
        ingest(hub, case.source, path)
    message = refused.value.message
    assert str(path) in message and "refused, nothing loaded" in message
    for column in case.missing:
        assert repr(column) in message
    assert refused.value.exit_code == 2 and "docs/data-formats.md" in refused.value.hint
    assert snapshot(hub) == before


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.slow
def test_loading_the_same_file_again_adds_nothing(hub: Hub, case: Case) -> None:
    for name in (case.good, case.bad):
        first = ingest(hub, case.source, case.path(name))
        tables = snapshot(hub)
        again = ingest(hub, case.source, case.path(name))
        assert (again.rows_read, again.rows_loaded, again.rows_quarantined) == (first.rows_read, 0, 0)
        assert again.duplicates_skipped == first.rows_read
        after = snapshot(hub)
        assert after[case.table] == tables[case.table] and after["quarantine"] == tables["quarantine"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.slow
def test_a_reexport_under_another_name_loads_only_its_new_row(hub: Hub, case: Case, tmp_path: Path) -> None:
    ingest(hub, case.source, case.path(case.good))
    before = table_rows(hub, case.table)
    # The new row first, then the old ones, as a re-export with a new record would be.
    header, rest = case.path(case.good).read_text().split("\n", 1)
    reexport = tmp_path / f"ONS2020 re-export of {case.good}"
    reexport.write_text(f"{header}\n{case.new_row}\n{rest}")
    summary = ingest(hub, case.source, reexport)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined, summary.duplicates_skipped) == (
        case.good_rows + 1,
        1,
        0,
        case.good_rows,
    )
    after = table_rows(hub, case.table)
    assert set(before) <= set(after)
    assert len(after) == len(before) + (91 if case.source == "population" else 1)


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.slow
def test_a_load_that_fails_midway_leaves_every_table_as_it_was(
    hub: Hub, case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(hub, case.source, case.path(case.good))
    before = snapshot(hub)
    quarantine_write_fails(monkeypatch)
    lines = case.path(case.good).read_text().splitlines()
    mixed = tmp_path / f"2020 {case.source} mixed.csv"
    # A new row (inserted before the quarantine is written) and the bad file's rows.
    mixed.write_text(
        "\n".join([lines[0], case.new_row, *case.path(case.bad).read_text().splitlines()[1:]]) + "\n"
    )
    with pytest.raises(RuntimeError, match="disk full"):
        list(hub.ingest(case.source, [mixed]))
    assert snapshot(hub) == before

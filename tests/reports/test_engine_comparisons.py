"""The report's sentences, key messages and statistics table say what `vrhub measures` says: on a part
previous year the change is the engine's like-for-like one (over the calendar months both years hold), not
one per month of data; where the engine could not compare, the report says so with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from scipy.stats import binomtest

from tests.conftest import copy_warehouse
from vrhub.config import FORCE_CODE, settings
from vrhub.hub import Hub
from vrhub.measures import MeasureRequest, load_catalogue
from vrhub.reports.build import _stats
from vrhub.reports.comparisons import compared, force_rows
from vrhub.reports.summary import key_messages, latest_changes
from vrhub.stats.wording import format_change

HEADER = (
    "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,"
    "person_role,person_ref,age,sex"
)
# Robberies in Liverpool, (year, month, crimes): 2018 holds April to December only, 3 a month (27);
# 2019 has 1 a month in January to March and 6 a month from April (57).
MONTHS = [(2018, m, 3) for m in range(4, 13)] + [(2019, m, 1 if m <= 3 else 6) for m in range(1, 13)]
CATALOGUE = """measures:
  robberies:
    title: Personal robberies
    source: police_records
    where: {offence_code: 34B}
    count: offences
    unit: offences
    baseline: 2018
"""


def extract() -> str:
    rows, n = [HEADER], 0
    for year, month, crimes in MONTHS:
        for i in range(crimes):
            n += 1
            date = f"{year}-{month:02d}-{i + 1:02d}"
            rows.append(f"R{n},{date},{date},34B,N,N,N,E01006513,victim,V{n},30,M")
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> tuple:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("report_comparisons"))
    path = folder / "extract.csv"
    path.write_text(extract())
    hub = Hub(settings(data_dir=folder))
    [loaded] = hub.ingest("police-records", [path])
    assert loaded.rows_loaded == 27 + 57
    (folder / "mine.yaml").write_text(CATALOGUE)
    result = hub.measures(
        MeasureRequest(measures=["robberies"], period="year"), catalogue=folder / "mine.yaml"
    )
    return force_rows(result.table.to_pylist()), load_catalogue(folder / "mine.yaml")


@pytest.mark.slow
def test_the_sentence_gives_the_engines_like_for_like_change_on_a_part_previous_year(engine: tuple) -> None:
    rows, catalogue = engine
    row = rows[("robberies", "2019")]
    # Like for like: Apr-Dec 2019, 54, against Apr-Dec 2018, 27: +100%. Per month of data it would be
    # 57 / 12 = 4.75 against 27 / 9 = 3, +58%.
    assert row["change_vs_previous_pct"] == 100.0
    [said] = latest_changes(rows, catalogue, ["robberies"], "2019")
    assert format_change(row["change_vs_previous_pct"]) == "+100%"
    assert said.text.startswith("was 57; like for like (Apr-Dec of both, 9 months) on 2018 it rose 100%")
    p_value = binomtest(54, 81, 0.5).pvalue
    assert p_value < 0.05 and said.significant and not said.small
    assert said.text.endswith("a rise larger than chance alone would give (p = 0.004), a worsening")
    assert "58%" not in said.text and "a month" not in said.text


@pytest.mark.slow
def test_key_messages_and_the_statistics_table_read_the_engines_row(engine: tuple) -> None:
    rows, catalogue = engine
    said = key_messages(rows, catalogue, ["robberies"], "2019")
    assert said.sentences[0].startswith(
        "Personal robberies was 57; like for like (Apr-Dec of both, 9 months) on the 2018 baseline it "
        "rose 100%"
    )
    assert "2019 against 2018 on Apr-Dec of both, 9 months" in said.caveats[-1]
    [stat] = _stats(rows, catalogue, ["robberies"], "2019", []).to_dict("records")
    row = rows[("robberies", "2019")]
    for column in ("rate_ratio", "ci_low", "ci_high", "p_value", "wheeler_z", "p_value_vs_baseline"):
        assert stat[column] == row[column]
    assert stat["rate_ratio"] == 2.0 and format_change(stat["pct_previous"]) == "+100%"
    assert stat["compared_previous"] == "2019 against 2018: like for like, on Apr-Dec of both, 9 months"


def _row(period: str, value: float, **figures: object) -> dict:
    row = {"measure_id": "ho_knife_sv", "period": period, "area_code": FORCE_CODE, "breakdown": ""}
    return {**row, "value": value, **figures}


def test_a_change_the_engine_left_blank_cannot_be_compared_and_says_why() -> None:
    why = "2021 holds Jan-Mar and 2020 holds Apr-Dec, no calendar month in common"
    rows = force_rows(
        [
            _row("2020", 90),
            _row(
                "2021", 40, small_count=False, notes=f"part period: 3 of 12 months; no change on 2020: {why}"
            ),
        ]
    )
    [said] = latest_changes(rows, load_catalogue(), ["ho_knife_sv"], "2021")
    assert said.text == f"cannot be compared with 2020: {why}" and not said.significant


def test_the_change_is_the_engines_ratio_rounded_once() -> None:
    # The engine's change rounded to 0.1 is 26.5 (from 26.46): rounded again it would read +27%.
    row = _row("2021", 100, change_vs_previous_pct=26.5, rate_ratio=1.2646, p_value=0.2, small_count=False)
    change = compared(row, "2020")
    assert format_change(change.pct) == "+26%" and change.like_for_like is None and change.blank is None

"""What a change compares, and why a figure is blank: periods holding different calendar months are compared
like for like (or not at all); a share's change reads the unrounded share; a change from 0 says so; the
small-count flag covers every count a row's figures rest on; a rate names its population and estimate year;
the force's row says how many it counts in no reported borough; a measure with no row says why."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import binomtest

from tests.conftest import copy_warehouse
from vrhub.config import settings
from vrhub.hub import Hub
from vrhub.measures import MeasureRequest
from vrhub.measures.engine import _pct

FORCE, LIVERPOOL = "E23000004", "E08000012"
HEADER = (
    "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,"
    "person_role,person_ref,age,sex"
)
# Robberies in Liverpool (E01006513), (year, month, crimes, of which knife-flagged):
# 2014: April only, 3 (1 knife); 2019: September to December only, 2 a month (the 2 in September knife);
# 2020: 1 a month (March's knife) and one more in May with no place; 2021: 1 a month (January's and
# February's knife).
MONTHS = [(2014, 4, 3, 1)]
MONTHS += [(2019, m, 2, 2 if m == 9 else 0) for m in range(9, 13)]
MONTHS += [(2020, m, 1, 1 if m == 3 else 0) for m in range(1, 13)]
MONTHS += [(2021, m, 1, 1 if m in (1, 2) else 0) for m in range(1, 13)]
CATALOGUE = """measures:
  robberies:
    title: Personal robberies
    source: police_records
    where: {offence_code: 34B}
    count: offences
    unit: offences
  knife_robberies:
    title: Personal robberies with a knife
    source: police_records
    where: {offence_code: 34B, knife: true}
    count: offences
    unit: offences
  robbery_knife_share:
    title: Personal robberies by knife flag (share)
    source: police_records
    where: {offence_code: 34B}
    split_by: knife
    count: offences
    value: share
    unit: percent
    population: none
  callouts:
    title: Ambulance call-outs for assault
    source: ambulance_callouts
    count: records
    unit: callouts
"""


def extract() -> str:
    rows, n = [HEADER], 0
    for year, month, crimes, knives in MONTHS:
        for i in range(crimes):
            n += 1
            date = f"{year}-{month:02d}-{i + 1:02d}"
            knife = "Y" if i < knives else "N"
            rows.append(f"R{n},{date},{date},34B,{knife},N,N,E01006513,victim,V{n},30,M")
    rows.append(f"R{n + 1},2020-05-20,2020-05-20,34B,N,N,N,,victim,V{n + 1},30,M")
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> Hub:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("comparisons"))
    path = folder / "extract.csv"
    path.write_text(extract())
    hub = Hub(settings(data_dir=folder))
    [summary] = hub.ingest("police-records", [path])
    assert summary.rows_loaded == 3 + 8 + 13 + 12
    (folder / "mine.yaml").write_text(CATALOGUE)
    return hub


def rows(hub: Hub, measure: str, area: str = LIVERPOOL, breakdown: str = "", **request) -> dict[str, dict]:
    catalogue = hub.settings.data_dir / "mine.yaml"
    table = hub.measures(MeasureRequest(measures=[measure], area=area, **request), catalogue=catalogue)
    return {r["period"]: r for r in table.table.to_pylist() if r["breakdown"] == breakdown}


@pytest.mark.slow
def test_periods_are_compared_over_the_calendar_months_both_hold(hub: Hub) -> None:
    row = rows(hub, "robberies")["2020"]
    # 2020 (12 months) against 2019 (Sep-Dec only): Sep-Dec 2020, 4, against Sep-Dec 2019, 8.
    assert row["value"] == 12 and row["months"] == 12
    assert row["change_vs_previous_pct"] == -50.0 and row["rate_ratio"] == 0.5
    assert row["p_value"] == pytest.approx(binomtest(4, 12, 0.5).pvalue, abs=1e-4)
    # Equal exposure: Wheeler z holds, on the counts compared.
    assert row["wheeler_z"] == pytest.approx(2 * (4**0.5 - 8**0.5), abs=1e-4)
    # 2019 is the previous year and the baseline: said once.
    assert row["notes"].count("change on 2019 like for like: on Sep-Dec of both, 4 months") == 1
    assert row["change_vs_baseline_pct"] == -50.0


@pytest.mark.slow
def test_periods_with_no_calendar_month_in_common_are_not_compared(hub: Hub) -> None:
    row = rows(hub, "robberies")["2014"]
    # 2014 (April) against the 2019 baseline (Sep-Dec): nothing like for like.
    assert row["change_vs_baseline_pct"] is None
    assert row["rate_ratio_vs_baseline"] is None and row["p_value_vs_baseline"] is None
    assert (
        "no change on 2019: 2014 holds Apr and 2019 holds Sep-Dec, no calendar month in common"
        in (row["notes"])
    )
    assert row["notes"].startswith("part period: 1 of 12 months of data (Apr)")


@pytest.mark.slow
def test_a_share_changes_by_its_unrounded_value(hub: Hub) -> None:
    got = rows(hub, "robbery_knife_share", breakdown="knife=true")
    # 2020: 1 of 12 (8.33%), 2021: 2 of 12 (16.67%): the share doubled, +100% (rounded shares say +101.2%).
    assert got["2020"]["value"] == 8.3 and got["2021"]["value"] == 16.7
    assert got["2021"]["change_vs_previous_pct"] == 100.0
    assert got["2021"]["rate_ratio"] == 2.0
    # The exact test of 2 of the 3 knife robberies falling in 2021, with equal totals (12 and 12).
    assert got["2021"]["p_value"] == pytest.approx(binomtest(2, 3, 0.5).pvalue, abs=1e-4)
    assert got["2021"]["wheeler_z"] is None and got["2021"]["small_count"] is True
    assert "no Wheeler z for a share" in got["2021"]["notes"]
    assert "its relative change in per cent (not percentage points)" in got["2021"]["notes"]


@pytest.mark.slow
def test_a_change_from_zero_is_blank_and_says_why_and_is_a_small_count(hub: Hub) -> None:
    got = rows(hub, "knife_robberies", period="quarter")
    # 2020-Q1 (March's 1) against 2019-Q4 (0): no percentage change, no rate ratio.
    row = got["2020-Q1"]
    assert row["value"] == 1 and row["change_vs_previous_pct"] is None and row["rate_ratio"] is None
    assert "no percentage change or rate ratio from 0 (2019-Q4 is 0)" in row["notes"]
    assert row["small_count"] is True
    # 2014-Q2 has no previous period: its 3 is still a small count.
    assert got["2014-Q2"]["small_count"] is True


@pytest.mark.slow
def test_a_rate_names_its_population_and_estimate_year(hub: Hub) -> None:
    got = rows(hub, "robberies")
    assert got["2020"]["rate_denominator"] == "residents, mid-2020 estimate"
    assert got["2021"]["rate_denominator"] == "residents, mid-2020 estimate"  # latest not after 2021
    # Before the first estimate, the first, saying so.
    assert got["2014"]["rate_denominator"] == "residents, mid-2019 estimate"
    assert (
        "rate over the mid-2019 population, the earliest estimate loaded (none for 2014)"
        in (got["2014"]["notes"])
    )
    # A part period's rate is of its months, not annualised.
    assert "rate over 1 month, not annualised" in got["2014"]["notes"]
    assert "rate over 4 months, not annualised" in got["2019"]["notes"]
    assert got["2020"]["notes"].count("annualised") == 0


@pytest.mark.slow
def test_the_force_row_says_what_it_counts_in_no_reported_borough(hub: Hub) -> None:
    force = rows(hub, "robberies", area=FORCE)
    # 2020: 12 in Liverpool and one with no place.
    assert force["2020"]["value"] == 13
    assert (
        "includes 1 counted in no reported borough (outside the five boroughs, or unplaced): the boroughs "
        "add up to 12; its rate divides all by the five boroughs' population"
    ) in force["2020"]["notes"]
    assert "no reported borough" not in force["2021"]["notes"]
    assert "no reported borough" not in rows(hub, "robberies")["2020"]["notes"]


@pytest.mark.slow
def test_a_measure_with_no_row_is_named_with_the_reason(hub: Hub) -> None:
    catalogue = hub.settings.data_dir / "mine.yaml"
    result = hub.measures(MeasureRequest(measures=["robberies", "callouts"]), catalogue=catalogue)
    assert result.excluded == {"callouts": "no ambulance_callouts data loaded"}
    assert "callouts" not in set(result.table.column("measure_id").to_pylist())


def test_no_change_prints_as_minus_zero() -> None:
    # 9,999 against 10,000 is -0.01%: to one decimal place, 0.0 with no sign.
    [change] = _pct(pd.Series([9_999]), pd.Series([10_000])).tolist()
    assert change == 0.0 and str(change) == "0.0"

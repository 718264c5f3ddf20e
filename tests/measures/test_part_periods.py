"""A part period (9 months of 2018) is never compared as if it were whole: changes, rate ratios, intervals
and p-values compare the calendar months both periods hold, with the months named in `notes`."""

from __future__ import annotations

from pathlib import Path

import pytest
from scipy.stats import binomtest
from statsmodels.stats.proportion import proportion_confint

from tests.conftest import copy_warehouse
from vrhub.config import settings
from vrhub.hub import Hub
from vrhub.measures import MeasureRequest

FORCE, LIVERPOOL = "E23000004", "E08000012"
HEADER = (
    "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,"
    "person_role,person_ref,age,sex"
)
# Robberies in Liverpool (E01006513): one a month from April to December 2018 (9), two a month in 2019
# (24), and in 2020 two a month in January to June only (12): three periods of 9, 12 and 6 months.
MONTHS = [(2018, m, 1) for m in range(4, 13)] + [(2019, m, 2) for m in range(1, 13)]
MONTHS += [(2020, m, 2) for m in range(1, 7)]
MEASURE = """measures:
  robberies:
    title: Personal robberies
    source: police_records
    where: {offence_code: 34B}
    count: offences
    unit: offences
"""


def extract() -> str:
    rows, n = [HEADER], 0
    for year, month, crimes in MONTHS:
        for day in range(1, crimes + 1):
            n += 1
            date = f"{year}-{month:02d}-{day:02d}"
            rows.append(f"R{n},{date},{date},34B,N,N,N,E01006513,victim,V{n},30,M")
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> Hub:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("part-periods"))
    path = folder / "extract.csv"
    path.write_text(extract())
    hub = Hub(settings(data_dir=folder))
    [summary] = hub.ingest("police-records", [path])
    assert summary.rows_loaded == 9 + 24 + 12
    (folder / "mine.yaml").write_text(MEASURE)
    return hub


def rows(hub: Hub, **request) -> dict[str, dict]:
    catalogue = hub.settings.data_dir / "mine.yaml"
    table = hub.measures(MeasureRequest(measures=["robberies"], area=FORCE, **request), catalogue=catalogue)
    return {r["period"]: r for r in table.table.to_pylist() if r["breakdown"] == ""}


@pytest.mark.slow
def test_each_row_says_how_many_months_of_data_its_period_holds(hub: Hub) -> None:
    got = rows(hub)
    assert {p: (r["value"], r["months"]) for p, r in got.items()} == {
        "2018": (9, 9),
        "2019": (24, 12),
        "2020": (12, 6),
    }
    assert got["2018"]["notes"].startswith("part period: 9 of 12 months of data")
    assert "part period" not in got["2019"]["notes"]


@pytest.mark.slow
def test_a_whole_year_against_a_part_year_is_compared_like_for_like(hub: Hub) -> None:
    row = rows(hub)["2019"]
    # 2019 against 2018 (April to December): April-December 2019, 18, against 9: +100% (the whole count
    # would say +166.7%).
    assert row["change_vs_previous_pct"] == 100.0
    assert row["rate_ratio"] == 2.0
    # The exact conditional test over equal months: 18 of the 27 crimes fall in 2019's nine.
    assert row["p_value"] == pytest.approx(binomtest(18, 27, 0.5).pvalue, abs=1e-4)
    low, high = proportion_confint(18, 27, alpha=0.05, method="beta")
    assert row["ci_low"] == pytest.approx(low / (1 - low), abs=1e-4)
    assert row["ci_high"] == pytest.approx(high / (1 - high), abs=1e-4)
    assert row["ci_low"] < 2.0 < row["ci_high"]
    # Equal months, equal exposure: Wheeler z holds, on the counts compared.
    assert row["wheeler_z"] == pytest.approx(2 * (18**0.5 - 9**0.5), abs=1e-4)
    assert row["notes"] == "change on 2018 like for like: on Apr-Dec of both, 9 months"


def test_the_part_year_against_the_baseline_is_compared_like_for_like_too(hub: Hub) -> None:
    got = rows(hub)
    # 2018 against the 2019 baseline, April-December: 9 against 18, -50%; 2020 (January-June) against
    # January-June 2019: 12 against 12, 0%.
    assert got["2018"]["change_vs_baseline_pct"] == -50.0 and got["2018"]["rate_ratio_vs_baseline"] == 0.5
    assert got["2020"]["change_vs_baseline_pct"] == 0.0 and got["2020"]["rate_ratio_vs_baseline"] == 1.0
    assert got["2020"]["p_value_vs_baseline"] == pytest.approx(binomtest(12, 24, 0.5).pvalue, abs=1e-4)
    # 2020 against 2019 is both its previous period and its baseline: said once.
    assert got["2020"]["notes"].count("change on 2019 like for like: on Jan-Jun of both, 6 months") == 1
    # The first period has nothing before it: no comparison, not a comparison with zero.
    assert got["2018"]["change_vs_previous_pct"] is None and got["2018"]["rate_ratio"] is None


def test_whole_periods_are_compared_as_counts_with_wheeler_z(hub: Hub) -> None:
    quarters = rows(hub, period="quarter")
    # 2019-Q3 against 2019-Q2: 6 against 6 over three months each.
    row = quarters["2019-Q3"]
    assert row["months"] == 3 and row["change_vs_previous_pct"] == 0.0 and row["wheeler_z"] == 0.0
    assert row["notes"] == ""
    # 2018-Q2 (April to June) is whole: the months the source holds, not the calendar's, make a part period.
    # (Its rate is over the first population estimate loaded, mid-2019, and says so.)
    assert quarters["2018-Q2"]["months"] == 3 and "part period" not in quarters["2018-Q2"]["notes"]


def test_the_rate_of_a_part_period_is_of_what_was_counted(hub: Hub) -> None:
    row = rows(hub)["2018"]
    liverpool_and_boroughs_2019 = 150_862 + 498_042 + 276_410 + 180_585 + 324_011  # ONS mid-2019, all ages
    assert row["rate_per_100k"] == round(9 / liverpool_and_boroughs_2019 * 100_000, 1)
    assert "rate over 9 months, not annualised" in row["notes"]


def test_partial_periods_are_still_reported_per_source(hub: Hub, tmp_path: Path) -> None:
    catalogue = hub.settings.data_dir / "mine.yaml"
    result = hub.measures(MeasureRequest(measures=["robberies"]), catalogue=catalogue)
    assert result.partial == {"police_records": {"2018": 9, "2020": 6}}

"""The Home Office return holds the Home Office's own knife-enabled serious violence measure (offences
involving a knife or sharp instrument) beside the strategy's possession-offence reading, labelled as such,
and names a part year in its column, not only in Notes. Hand counts on a small extract."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import copy_warehouse
from vrhub.config import settings
from vrhub.exports.home_office import (
    HOME_OFFICE_READING,
    KNIFE_SV,
    STRATEGY_READING,
    measure_ids,
    period_labels,
)
from vrhub.hub import Hub
from vrhub.measures import builtin_catalogue

pytestmark = pytest.mark.slow

HEADER = (
    "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,"
    "person_role,person_ref,age,sex"
)


def extract() -> str:
    """One 10D a month from April 2018 to December 2019 (2018 holds 9 months of data: 9, then 12), and
    knife robberies (ONS selected offences): May 2018 (victim 20); February and March 2019 (victim 20);
    June 2019 (victim 40). So ho_knife_offences is 1 and 3, with a victim under 25 1 and 2."""
    months = [(2018, m) for m in range(4, 13)] + [(2019, m) for m in range(1, 13)]
    lines = [HEADER]
    for n, (y, m) in enumerate(months, start=1):
        d = f"{y}-{m:02d}-10"
        lines.append(f"P{n},{d},{d},10D,Y,N,N,E01006412,suspect,S{n},19,M")
    robberies = [("2018-05-12", 20), ("2019-02-12", 20), ("2019-03-12", 20), ("2019-06-12", 40)]
    for n, (d, age) in enumerate(robberies, start=1):
        lines.append(f"R{n},{d},{d},34B,Y,N,N,E01006412,victim,V{n},{age},F")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> tuple[list, dict]:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("ho-return"))
    (folder / "extract.csv").write_text(extract())
    hub = Hub(settings(data_dir=folder))
    [summary] = hub.ingest("police-records", [folder / "extract.csv"])
    assert summary.rows_loaded == 25
    hub.export_home_office_return(folder / "ho.xlsx")
    book = load_workbook(folder / "ho.xlsx", read_only=True)
    header, *cells = [list(r) for r in book["Success measures"].iter_rows(values_only=True)]
    return header, {r[header.index("Measure id")]: dict(zip(header, r, strict=True)) for r in cells}


def test_the_home_office_knife_measure_is_in_the_return_labelled_as_the_home_offices(rows: tuple) -> None:
    header, by_id = rows
    year = "2018 (part: 9 months of data)"
    ho, ho_u25, strategy = (
        by_id["ho_knife_offences"],
        by_id["ho_knife_offences_victim_u25"],
        by_id["ho_knife_sv"],
    )
    assert (ho[year], ho["2019"]) == (1, 3)
    assert (ho_u25[year], ho_u25["2019"]) == (1, 2)
    assert (strategy[year], strategy["2019"]) == (9, 12)
    assert ho["Family"] == ho_u25["Family"] == strategy["Family"] == KNIFE_SV
    assert ho["Reading"] == ho_u25["Reading"] == HOME_OFFICE_READING
    assert strategy["Reading"] == STRATEGY_READING
    assert "ho_knife_offences" in strategy["Notes"] and "10D" in ho["Notes"]
    knife_family = [i for i in by_id if by_id[i]["Family"] == KNIFE_SV]
    assert knife_family[:2] == [
        "ho_knife_offences",
        "ho_knife_offences_victim_u25",
    ]  # the Home Office's first
    assert list(by_id) == measure_ids(builtin_catalogue())


def test_a_part_year_is_named_so_in_its_column(rows: tuple) -> None:
    header, by_id = rows
    assert "2018 (part: 9 months of data)" in header and "2019" in header
    assert "2018" not in header
    assert by_id["ho_knife_sv"]["Baseline"] == "2019" and by_id["ho_knife_sv"]["Latest period"] == "2019"
    assert "2018: 9 month(s) of data" in by_id["ho_knife_sv"]["Notes"]


def test_period_labels_name_each_part_period() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "period": ["2018", "2018", "2019", "2020", "2020", "2021"],
            "months": [9, 9, 12, 4, 1, None],
        }
    )
    assert period_labels(frame) == {
        "2018": "2018 (part: 9 months of data)",
        "2019": "2019",
        "2020": "2020 (part: months of data differ by measure, see Notes)",
        "2021": "2021",
    }

"""An ED file in the ISTV minimum data set's shape (no age, sex or admitted) loads, and the measures that
filter on age say how many attendances they could not count."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from vrhub.hub import Hub
from vrhub.measures import MeasureRequest

ISTV = FIXTURES / "ed-attendances" / "istv_minimum.csv"
pytestmark = pytest.mark.slow


def test_a_file_without_age_sex_or_admitted_loads_them_as_null(hub: Hub) -> None:
    (summary,) = hub.ingest("ed-attendances", [ISTV])
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined) == (4, 4, 0)
    rows = hub.sql(
        "SELECT assault_method, age, sex, admitted FROM ed_attendances ORDER BY assault_at", 10
    ).to_pylist()
    assert [r["assault_method"] for r in rows] == ["knife", "other_sharp", "fists", "knife"]
    assert all(r["age"] is None and r["sex"] is None and r["admitted"] is None for r in rows)


def test_a_sent_admitted_column_must_still_be_filled(hub: Hub, tmp_path) -> None:
    path = tmp_path / "blank_admitted.csv"
    path.write_text(
        "site_code,assault_datetime,assault_method,location_type,admitted\n"
        "RBN01,2019-03-02 00:40,knife,street,\n",
        encoding="utf-8",
    )
    (summary,) = hub.ingest("ed-attendances", [path])
    assert summary.rows_quarantined == 1
    (held,) = hub.quarantine("blank_admitted.csv").to_pylist()
    assert (held["row_number"], held["field"], held["reason"]) == (2, "admitted", "missing value")


def test_measures_under_25_say_how_many_attendances_had_no_age(hub: Hub) -> None:
    list(hub.ingest("ed-attendances", [ISTV]))
    ids = ["ho_knife_admissions", "ho_knife_admissions_u25", "ho_knife_only_admissions_u25"]
    table = hub.measures(MeasureRequest(measures=ids, period="year")).table.to_pandas()
    force = table[(table["area_code"] == "E23000004") & (table["period"] == "2019")].set_index("measure_id")
    # knife, other_sharp and knife in 2019: three sharp-object attendances, two with a knife, none aged
    assert force.loc["ho_knife_admissions", "value"] == 3
    assert "not recorded" not in force.loc["ho_knife_admissions", "notes"]
    assert force.loc["ho_knife_admissions_u25", "value"] == 0
    assert force.loc["ho_knife_admissions_u25", "notes"].endswith(
        "age not recorded for 3 such attendances (a file without the age column, as the ISTV minimum data "
        "set sends, or left blank): not counted here"
    )
    assert "age not recorded for 2 such attendances" in force.loc["ho_knife_only_admissions_u25", "notes"]

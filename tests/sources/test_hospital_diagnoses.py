"""Hospital admissions carry HES/SUS diagnosis positions, and the Home Office measure counts ICD-10 X99
(assault by a sharp object) in any of them, each admission once; the ED rows of Table 1 are labelled as the
ED attendances they count."""

from __future__ import annotations

import pyarrow as pa
import pytest

from tests.conftest import FIXTURES
from tests.sources.helpers import ingest, quarantined, rows
from vrhub.hub import Hub, migrations
from vrhub.measures import MeasureRequest
from vrhub.measures.catalogue import builtin_catalogue
from vrhub.warehouse.migrations import migrate

FORCE = "E23000004"
DIAGNOSES = FIXTURES / "hospital-admissions" / "diagnoses.csv"
# diagnoses.csv, all 2019 in Knowsley (age; cause; X99 where):
#   H-1 19 X99   diag_02 X99.0 too      primary and any position (once, not twice)
#   H-2 24 Y04   diag_03 X990           any position only
#   H-3 30 Y09   diag_05 X99-           any position only (HES's filler after a 3-character code)
#   H-4 20 Y04   no X99                 neither
#   H-5 19 X99.9 no diagnoses           primary and any position
#   H-6 22 Y00   diag_20 x99.4          any position only (the last of HES's 20)
#   H-7 40 Y04   diag_02 'not a code'   quarantined
#   H-8 17 Y04   diag_03 X98            neither (assault by steam or hot vapours)
# Any position: H-1, H-2, H-3, H-5, H-6 = 5; under 25: H-1, H-2, H-5, H-6 = 4.
# Cause column only: H-1, H-5 = 2.


def _values(table: pa.Table) -> dict[str, float]:
    return {r["measure_id"]: r["value"] for r in table.to_pylist() if r["area_code"] == FORCE}


@pytest.fixture
def loaded(hub: Hub, key: bytes) -> Hub:
    summary = ingest(hub, "hospital-admissions", DIAGNOSES)
    assert (summary.rows_loaded, summary.rows_quarantined) == (7, 1)
    return hub


@pytest.mark.slow
def test_diagnosis_codes_are_normalised_and_a_bad_one_quarantined(loaded: Hub) -> None:
    found = {
        r["diag_01"]: r
        for r in rows(loaded, "SELECT * FROM hospital_admissions WHERE admission_date = '2019-04-02'")
    }
    two = found["S02.6"]
    assert (two["diag_02"], two["diag_03"], two["diag_04"], two["diag_20"]) == ("Y04", "X99.0", None, None)
    fillers = rows(
        loaded, "SELECT diag_05, diag_20 FROM hospital_admissions WHERE age IN (22, 30) ORDER BY age"
    )
    assert fillers == [{"diag_05": None, "diag_20": "X99.4"}, {"diag_05": "X99", "diag_20": None}]
    assert quarantined(loaded, "diagnoses.csv") == [
        (8, "diag_02", "not an ICD-10 code (expected e.g. S21.1, X99 or X990)")
    ]


@pytest.mark.slow
def test_x99_in_any_position_is_flagged_once_per_admission(loaded: Hub) -> None:
    flags = rows(
        loaded,
        "SELECT age, sharp_object_any_position AS any FROM hospital_admissions ORDER BY admission_date",
    )
    assert [(r["age"], r["any"]) for r in flags] == [
        (19, True),
        (24, True),
        (30, True),
        (20, False),
        (19, True),
        (22, True),
        (17, False),
    ]


@pytest.mark.slow
def test_the_home_office_measure_counts_any_position_and_differs_from_the_cause_column(loaded: Hub) -> None:
    ids = ["ho_sharp_object_admissions", "ho_sharp_object_admissions_u25", "hospital_sharp_object_admissions"]
    got = _values(loaded.measures(MeasureRequest(measures=ids)).table)
    assert got == {
        "ho_sharp_object_admissions": 5,
        "ho_sharp_object_admissions_u25": 4,
        "hospital_sharp_object_admissions": 2,
    }


def test_the_ed_rows_of_table_1_say_they_are_ed_attendances_and_why() -> None:
    catalogue = builtin_catalogue()
    for measure_id in ("ho_knife_admissions", "ho_knife_admissions_u25", "ho_knife_only_admissions_u25"):
        measure = catalogue.get(measure_id)
        assert measure.source == "ed_attendances" and measure.unit == "attendances"
        assert measure.title.startswith("ED attendances") and "admission" not in measure.title.lower()
        assert "hospital admissions" in measure.note and "emergency department" in measure.note
    for measure_id in ("ho_sharp_object_admissions", "ho_sharp_object_admissions_u25"):
        measure = catalogue.get(measure_id)
        assert measure.source == "hospital_admissions" and measure.unit == "admissions"
        assert measure.where["sharp_object_any_position"] is True and "X99" in measure.note
    assert catalogue.get("ho_sharp_object_admissions_u25").population == "under_25"


@pytest.mark.slow
def test_a_warehouse_from_before_diagnoses_gains_them_and_still_matches_its_files(
    hub: Hub, key: bytes
) -> None:
    good = FIXTURES / "hospital-admissions" / "good.csv"
    ingest(hub, "hospital-admissions", good)
    diagnoses = [f"diag_{i:02d}" for i in range(1, 21)]
    with hub.open() as wh:
        # As a warehouse made before migration 6 stood: no diagnosis columns, other content keys.
        for table in ("hospital_admissions", "hospital_admissions_history"):
            for column in [*diagnoses, "sharp_object_any_position"]:
                wh.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        wh.execute("UPDATE hospital_admissions SET row_key = sha256(coalesce(admission_key, ''))")
        wh.execute("DELETE FROM schema_migrations WHERE version = 6")
        assert migrate(wh, migrations()) == [6]
    flags = rows(hub, "SELECT icd10_cause, sharp_object_any_position AS any FROM hospital_admissions")
    assert sorted((r["icd10_cause"], r["any"]) for r in flags) == [
        ("V01", False),
        ("X94", False),
        ("X99", True),
        ("X99.1", True),
        ("X99.1", True),
        ("Y04.0", False),
    ]
    # The content keys were made again over the wider rows: reloading the file adds and corrects nothing.
    again = ingest(hub, "hospital-admissions", good)
    assert (again.rows_loaded, again.rows_corrected, again.duplicates_skipped) == (0, 0, 6)

"""The measure page on a small warehouse whose previous year holds part of the year: the change it shows is
the engine's like-for-like one (what `vrhub measures` and /api/measures give), not one per month of data,
for the partner edition and the public edition's force-wide figure alike."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import TEST_KEY, built_once, copy_warehouse
from vrhub.config import FORCE_CODE
from vrhub.config import settings as vrhub_settings
from vrhub.hub import Hub
from vrhub.measures import MeasureRequest
from vrhub.stats.wording import format_change

HEADER = (
    "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,"
    "person_role,person_ref,age,sex"
)
# Robberies of personal property in Liverpool, (year, month, crimes): 2018 holds April to December only,
# 3 a month (27); 2019 has 1 a month in January to March and 6 a month from April (57).
MONTHS = [(2018, m, 3) for m in range(4, 13)] + [(2019, m, 1 if m <= 3 else 6) for m in range(1, 13)]
MEASURE = "ho_hotspot_offences"  # homicide, violence with injury and robbery: here robberies alone


def _extract() -> str:
    rows, n = [HEADER], 0
    for year, month, crimes in MONTHS:
        for i in range(crimes):
            n += 1
            date = f"{year}-{month:02d}-{i + 1:02d}"
            rows.append(f"R{n},{date},{date},34B,N,N,N,E01006513,victim,V{n},30,M")
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def _part_year(_initialised_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    def build(folder: Path) -> None:
        copy_warehouse(_initialised_warehouse, folder)
        (folder / "extract.csv").write_text(_extract())
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
            hub = Hub(vrhub_settings(data_dir=folder, warehouse=str(folder / "warehouse.duckdb")))
            [loaded] = hub.ingest("police-records", [folder / "extract.csv"])
            assert loaded.rows_loaded == 27 + 57

    return built_once(tmp_path_factory, "dashcmp_part_year", build)


@pytest.fixture
def part_year(
    _part_year: Path, tmp_path: Path, settings: object, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    from vrhub.web import figures, warehouse

    folder = copy_warehouse(_part_year, tmp_path / "data")
    monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
    settings.DATA_DIR = folder  # type: ignore[attr-defined]
    settings.VRHUB_WAREHOUSE = str(folder / "warehouse.duckdb")  # type: ignore[attr-defined]
    warehouse.close()
    figures.clear()
    yield folder
    warehouse.close()
    figures.clear()


@pytest.mark.slow
@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_the_measure_pages_change_is_the_engines_like_for_like_one(
    part_year: Path, client_as: Callable[..., object], role: str
) -> None:
    engine = Hub(vrhub_settings(data_dir=part_year)).measures(
        MeasureRequest(measures=[MEASURE], period="year")
    )
    [row] = [
        r
        for r in engine.table.to_pylist()
        if r["period"] == "2019" and r["area_code"] == FORCE_CODE and not r["breakdown"]
    ]
    # Like for like: Apr-Dec 2019 (54) against Apr-Dec 2018 (27), +100%. Per month of data it would be
    # 57 / 12 = 4.75 against 27 / 9 = 3, +58%; by the totals +111%.
    assert row["change_vs_previous_pct"] == 100.0
    per_month = (57 / 12) / (27 / 9) * 100 - 100
    response = client_as(role).get(f"/measures/{MEASURE}/", secure=True)  # type: ignore[attr-defined]
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["period"] == "2019" and summary["value"] == 57
    assert round(summary["change_vs_previous_pct"], 6) == 100.0 != round(per_month, 6)
    assert summary["previous_like_for_like"] == "Apr-Dec of both, 9 months"
    [year] = [r for r in response.context["annual"] if r["period"] == "2019"]
    assert round(year["change_vs_previous_pct"], 6) == 100.0
    assert year["change_notes"] == ["on 2018 like for like: Apr-Dec of both, 9 months"]
    page = response.content.decode()
    assert "like for like (Apr-Dec of both, 9 months) on 2018 it rose 100%" in page
    assert "Change on 2018 like for like: Apr-Dec of both, 9 months" in page
    assert format_change(per_month) not in page and "a month in 2018" not in page

"""Which measures break down by age band or sex is answered once, by the catalogue, and the answer is what
the engine does: a measure is breakable iff a breakdown request gives it breakdown rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, TEST_KEY, copy_warehouse
from vrhub.config import settings
from vrhub.errors import BadValue
from vrhub.hub import Hub
from vrhub.measures import MeasureRequest, builtin_catalogue
from vrhub.measures.catalogue import parse_catalogue
from vrhub.measures.expressions import BREAKDOWNS

# One measure of each kind the answer tells apart.
MEASURES = """measures:
  crimes:
    title: Crimes
    source: police_records
    count: offences
    unit: offences
  by_group:
    title: Crimes by offence group
    source: police_records
    count: offences
    unit: offences
    split_by: offence_group
  attendances:
    title: Assault attendances
    source: ed_attendances
    count: records
    unit: attendances
  street_crimes:
    title: Street-level crimes
    source: police_uk_crimes
    count: records
    unit: crimes
  fires:
    title: Deliberate fires
    source: fire_incidents
    count: records
    unit: incidents
  reported:
    title: A reported figure
    source: indicators
    count: indicator
    unit: percent
"""


def test_the_catalogue_says_which_measures_break_down_by_age_band_and_sex() -> None:
    catalogue = parse_catalogue(MEASURES)
    # Police and ED records carry ages and sexes; police.uk and fire records carry neither; a reported
    # figure comes as reported; a split measure's split is its breakdown.
    assert catalogue.breakable("age_band") == ["crimes", "attendances"]
    assert catalogue.breakable("sex") == ["crimes", "attendances"]
    assert catalogue.get("crimes").breakdowns == ("age_band", "sex")
    for other in ("by_group", "street_crimes", "fires", "reported"):
        assert catalogue.get(other).breakdowns == (), other


def test_an_unknown_breakdown_is_refused_naming_the_parameter() -> None:
    with pytest.raises(BadValue, match="cannot break down by 'height'") as caught:
        parse_catalogue(MEASURES).breakable("height")
    assert (caught.value.parameter, caught.value.value) == ("by", "height")


# Each source's good fixture, so that every event measure's source has records.
LOADS = {
    "police-records": FIXTURES / "police-records/good.csv",
    "police-uk": FIXTURES / "police-uk/2019-09-merseyside-street-sample.csv",
    "ed-attendances": FIXTURES / "ed-attendances/good.csv",
    "hospital-admissions": FIXTURES / "hospital-admissions/good.csv",
    "ambulance": FIXTURES / "ambulance/good.csv",
    "fire": FIXTURES / "fire/good.csv",
}


@pytest.fixture(scope="module")
def loaded(_initialised_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Hub:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("breakable"))
    # A figure for every shipped indicator, so that each has rows to break down, or not.
    indicators = [m for m in builtin_catalogue().measures.values() if m.source == "indicators"]
    reported = folder / "indicators.csv"
    reported.write_text(
        "indicator_id,area_code,period,value,unit,note\n"
        + "".join(f"{m.id},E23000004,2019,1,{m.unit},\n" for m in indicators)
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
        hub = Hub(settings(data_dir=folder, warehouse=str(folder / "warehouse.duckdb")))
        for source, path in [*LOADS.items(), ("indicators", reported)]:
            [summary] = hub.ingest(source, [path])
            assert summary.rows_loaded > 0 and summary.rows_quarantined == 0, source
    return hub


def engine_breaks_down(hub: Hub, measures: list[str], by: str) -> set[str]:
    """Those of `measures` the engine gives rows broken down `by` (a refusal gives none)."""
    try:
        table = hub.measures(MeasureRequest(measures=measures, by=by)).table.to_pandas()
    except BadValue as refused:
        assert refused.parameter == "by"
        return set()
    assert set(table["measure_id"]) == set(measures), "the fixtures leave a measure untested"
    return set(table.loc[table["breakdown"].str.startswith(f"{by}="), "measure_id"])


@pytest.mark.slow
@pytest.mark.parametrize("by", BREAKDOWNS)
def test_the_answer_is_what_the_engine_computes_for_every_shipped_measure(loaded: Hub, by: str) -> None:
    catalogue = builtin_catalogue()
    # Asked together, the measures the engine computes in one pass (a source's, or one split's): it
    # refuses or breaks down a source's measures alike, and one request each is minutes on a busy machine.
    passes: dict[tuple[str, str | None], list[str]] = {}
    for m in catalogue.measures.values():
        passes.setdefault((m.source, m.split_by), []).append(m.id)
    engine = set().union(*(engine_breaks_down(loaded, ids, by) for ids in passes.values()))
    assert catalogue.breakable(by) == [m for m in catalogue.measures if m in engine]
    assert engine and len(engine) < len(catalogue.measures)  # both answers occur
    # Asked for all of them at once, the engine refuses none and breaks each down.
    assert engine_breaks_down(loaded, catalogue.breakable(by), by) == engine


@pytest.mark.slow
def test_every_measure_broken_down_is_every_breakable_measure(loaded: Hub) -> None:
    """`vrhub measures --by sex` (no measure named) asks for every measure that breaks down by sex, each
    with its total and its bands; before, fire call-outs made the engine refuse the whole request."""
    table = loaded.measures(MeasureRequest(by="sex")).table.to_pandas()
    assert list(dict.fromkeys(table["measure_id"])) == builtin_catalogue().breakable("sex")
    bands = table[table["breakdown"].fillna("").str.startswith("sex=")]
    assert set(bands["measure_id"]) == set(builtin_catalogue().breakable("sex"))

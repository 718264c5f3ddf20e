"""Measures counted at load (measure_counts) give exactly the figures a scan of the records gives."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from tests.measures.test_engine import EXTRACT, FORCE, LIVERPOOL, values
from vrhub.definitions import predicate
from vrhub.errors import InputRefused
from vrhub.hub import Hub, migrations
from vrhub.measures import MeasureRequest, builtin_catalogue, cube, expressions
from vrhub.measures import engine as engine_module
from vrhub.sources.police_records import SPEC
from vrhub.warehouse.migrations import migrate

MIGRATIONS = migrations()

pytestmark = pytest.mark.slow

HEADER, *ROWS = EXTRACT.strip().splitlines()
# A later extract: C2 gains a victim (the crime is already counted: it must still count once), C8 is a
# new crime in a month already loaded, C9 one in a month not loaded before.
LATER = [
    "C2,2019-07-11,2019-07-10,34B,N,N,N,E01006513,victim,P11,21,M",
    "C8,2019-07-20,2019-07-19,34B,N,N,N,E01006513,victim,P12,15,F",
    "C9,2021-01-05,2021-01-04,10D,Y,N,N,E01006412,suspect,P13,19,M",
]
POLICE = [m.id for m in builtin_catalogue().measures.values() if m.source == "police_records"]


def write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


def scanned(hub: Hub, request: MeasureRequest, monkeypatch: pytest.MonkeyPatch) -> pa.Table:
    """The figures from the records themselves, the counts ignored."""
    with monkeypatch.context() as m:
        m.setattr(cube, "complete", lambda wh, source: set())
        return hub.measures(request).table


def from_counts(hub: Hub, request: MeasureRequest, monkeypatch: pytest.MonkeyPatch) -> pa.Table:
    """The figures from the counts only: a scan of the records would fail."""
    with monkeypatch.context() as m:
        m.setattr(engine_module, "grouped", lambda *a: pytest.fail("scanned the records"))
        return hub.measures(request).table


def same_figures(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    for period in (None, "month", "quarter", "financial-year"):
        request = MeasureRequest(measures=POLICE, period=period, by=["age_band", "sex"])
        assert from_counts(hub, request, monkeypatch).equals(scanned(hub, request, monkeypatch))


def test_counts_equal_a_scan_after_each_load(hub: Hub, tmp_path: Path, monkeypatch) -> None:
    [first] = hub.ingest("police-records", [write(tmp_path / "a.csv", ROWS)])
    assert first.rows_loaded == 10
    same_figures(hub, monkeypatch)
    [later] = hub.ingest("police-records", [write(tmp_path / "b.csv", LATER)])
    assert later.rows_loaded == 3
    same_figures(hub, monkeypatch)
    # The appendix's definition counts robbery (C2, C8); Table 2's offence groups do not, but count C9 (10D).
    got = values(from_counts(hub, MeasureRequest(measures=["local_sv_offences_appendix"]), monkeypatch))
    assert got[("2019", FORCE, "")] == 4  # C1, C2 (once, with its new victim), C7, C8
    assert got[("2019", LIVERPOOL, "")] == 2  # C2, C8
    groups = values(from_counts(hub, MeasureRequest(measures=["local_sv_offences"]), monkeypatch))
    assert groups[("2021", FORCE, "")] == 1  # C9
    victims = values(from_counts(hub, MeasureRequest(measures=["local_sv_victims"]), monkeypatch))
    assert victims[("2019", LIVERPOOL, "")] == 4  # P3, P4, P11, P12


def test_a_first_load_is_counted_by_the_classification_it_made(hub: Hub, tmp_path: Path, monkeypatch) -> None:
    """The load classified its rows a moment before: counting reads sv_local and sv_home_office instead
    of classifying every row again. Rows loaded earlier may carry an older definition's classification,
    so a later load's recount of the cells it touched classifies afresh."""
    held = {name for name, _column in SPEC.classified}
    afresh: list[str] = []
    with monkeypatch.context() as m:
        m.setattr(expressions, "predicate", lambda d, t: afresh.append(d.name) or predicate(d, t))
        [first] = hub.ingest("police-records", [write(tmp_path / "a.csv", ROWS)])
    assert first.rows_loaded == 10
    # Only definitions the load keeps no classification of (the offence groups, the Home Office's others)
    # are applied to the rows.
    assert afresh and not held & set(afresh)
    same_figures(hub, monkeypatch)
    calls = []
    with monkeypatch.context() as m:
        m.setattr(expressions, "predicate", lambda *a: calls.append(a) or predicate(*a))
        [later] = hub.ingest("police-records", [write(tmp_path / "b.csv", LATER)])
    assert later.rows_loaded == 3 and calls
    same_figures(hub, monkeypatch)


def test_a_measure_not_counted_at_load_is_computed_from_the_records(hub: Hub, tmp_path: Path) -> None:
    list(hub.ingest("police-records", [write(tmp_path / "a.csv", ROWS)]))
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "measures:\n  local_sv_offences:\n    title: Knife serious violence, redefined\n"
        "    source: police_records\n    definition: merseyside_local\n    where: {knife: true}\n"
        "    count: offences\n    unit: offences\n"
    )
    table = hub.measures(MeasureRequest(measures=["local_sv_offences"], area=FORCE), catalogue=mine).table
    # C1; C5 (C3, a knife-flagged possession offence, is never serious violence under the appendix)
    assert values(table) == {("2019", FORCE, ""): 1, ("2020", FORCE, ""): 1}


def test_counts_made_by_other_code_are_not_read(hub: Hub, tmp_path: Path, monkeypatch) -> None:
    list(hub.ingest("police-records", [write(tmp_path / "a.csv", ROWS)]))
    measure = builtin_catalogue().get("local_sv_offences_appendix")
    before = cube.signature("police_records", measure, None)
    monkeypatch.setattr(cube, "_code", lambda: "code edited since the counts were made")
    assert cube.signature("police_records", measure, None) != before
    with hub.open(read_only=True) as wh:
        assert cube.signature("police_records", measure, None) not in cube.complete(wh, "police_records")
    table = hub.measures(MeasureRequest(measures=["local_sv_offences_appendix"], area=FORCE)).table
    assert values(table)[("2019", FORCE, "")] == 3  # from the records


def test_the_migration_counts_records_loaded_before_it(hub: Hub, tmp_path: Path, monkeypatch) -> None:
    list(hub.ingest("police-records", [write(tmp_path / "a.csv", ROWS)]))
    with hub.open() as wh:
        version = next(v for v, _, step in MIGRATIONS if step.__name__ == "_measure_counts")
        wh.execute(f"DELETE FROM schema_migrations WHERE version = {version}")
        wh.execute("DROP TABLE measure_counts")
        wh.execute("DROP TABLE measure_count_specs")
        assert migrate(wh, migrations()) == [version]
        assert cube.complete(wh, "police_records")
    same_figures(hub, monkeypatch)


def test_a_refused_load_leaves_the_counts_as_they_were(hub: Hub, tmp_path: Path) -> None:
    list(hub.ingest("police-records", [write(tmp_path / "a.csv", ROWS)]))

    def counts() -> list[dict]:
        with hub.open(read_only=True) as wh:
            return wh.to_arrow(wh.table("measure_counts")).sort_by([("sig", "ascending")]).to_pylist()

    before = counts()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER.replace(",offence_code", "") + "\n" + "\n".join(LATER) + "\n")
    with pytest.raises(InputRefused):
        list(hub.ingest("police-records", [bad]))
    assert counts() == before


def test_a_new_warehouse_has_every_count_complete_and_none_stored(hub: Hub, monkeypatch) -> None:
    """`vrhub init` counts nothing (there is nothing), yet marks every count complete: a request on an empty
    warehouse reads the counts, and the first load replaces them with its own."""
    with hub.open(read_only=True) as wh:
        for source in cube.EVENT_DATE:
            shipped = [m for m in builtin_catalogue().measures.values() if m.source == source]
            plan = cube.extras(source, shipped)
            wanted = {cube.signature(source, None, e) for e in plan}
            wanted |= {cube.signature(source, m, e) for e, ms in plan.items() for m in ms}
            assert cube.complete(wh, source) == wanted, source
        assert wh.to_arrow(wh.table(cube.COUNTS).count().as_table()).column(0)[0].as_py() == 0
    request = MeasureRequest(measures=POLICE)
    assert from_counts(hub, request, monkeypatch).num_rows == scanned(hub, request, monkeypatch).num_rows

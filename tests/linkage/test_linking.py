"""Linking people records into people: the warehouse gets pseudonyms only, the links reach the event tables,
later loads link incrementally and keep the person ids they do not change."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from tests.linkage.conftest import write_people
from vrhub.hub import Hub
from vrhub.linkage.clusters import anchors, components, existing_pairs, lone_pairs
from vrhub.linkage.model import calibrate, probability
from vrhub.linkage.vault import Vault
from vrhub.pseudonymise import Pseudonymiser
from vrhub.sources.people import LINKED_SOURCES
from vrhub.synth.people import AGENCIES


def _links(hub: Hub) -> list[dict]:
    with hub.open(read_only=True) as wh:
        return wh.to_arrow(wh.table("person_links")).to_pylist()


def _person_of(hub: Hub) -> dict[tuple[str, int], str]:
    return {(r["file_name"], r["row_number"]): r["person_id"] for r in _links(hub)}


# -- the grouping, by hand ---------------------------------------------------------------------------------
def test_records_joined_by_pairs_are_one_group_named_by_their_earliest_record() -> None:
    uids = np.array([50, 10, 40, 20, 30])
    labels = components(uids, np.array([10, 30, 99]), np.array([20, 40, 50]))  # 99 is no record: ignored
    assert labels[1] == labels[3] and labels[4] == labels[2]  # {10, 20} and {30, 40}
    assert len({labels[0], labels[1], labels[2]}) == 3  # 50 alone
    since = np.array([5, 1, 9, 7, 3])
    assert anchors(labels, since).tolist() == [0, 1, 4, 1, 4]  # each group's smallest `since`


def test_a_record_left_alone_joins_its_likeliest_partner_when_more_likely_than_not() -> None:
    uids = np.array([1, 2, 3, 4, 5, 6, 7])
    # 1-2 linked at the threshold; 3 alone, likelier 1's (0.8) than 4's (0.6); 5 alone, best 0.4: stays
    # alone; 6 alone with 7 alone (0.7): they pair; 2-4 at 0.9 is below the threshold and 4 is alone.
    left = np.array([1, 3, 3, 5, 6, 2])
    right = np.array([2, 1, 4, 1, 7, 4])
    p = np.array([0.99, 0.8, 0.6, 0.4, 0.7, 0.9])
    labels = components(uids, left[p >= 0.95], right[p >= 0.95])
    a, b = lone_pairs(uids, labels, left, right, p, floor=0.5)
    assert sorted(zip(a.tolist(), b.tolist(), strict=True)) == [(3, 1), (4, 2), (6, 7), (7, 6)]
    joined = components(uids, np.concatenate([left[p >= 0.95], a]), np.concatenate([right[p >= 0.95], b]))
    assert len({joined[0], joined[1], joined[2], joined[3]}) == 1  # 1, 2 and the lone 3 and 4
    assert joined[4] not in {joined[0], joined[5]} and joined[5] == joined[6]
    # Records already in a group (3 and 4 here) are never moved by a pair below the threshold.
    grouped = components(uids, np.array([3]), np.array([4]))
    a, b = lone_pairs(uids, grouped, left, right, p, floor=0.5)
    assert sorted(zip(a.tolist(), b.tolist(), strict=True)) == [(1, 2), (2, 1), (6, 7), (7, 6)]


def test_an_earlier_person_is_held_together_by_pairs_to_its_first_record() -> None:
    import pyarrow as pa

    left, right = existing_pairs(np.array([7, 8, 9, 6]), pa.array(["p", "q", "p", "q"]))
    assert left.tolist() == [7, 8, 9, 6] and right.tolist() == [7, 8, 7, 8]


def test_the_prior_is_the_share_of_pairs_the_scores_explain() -> None:
    # 10 records make 45 pairs: 3 certain matches and 42 certain non-matches were scored.
    weights = np.array([40.0] * 3 + [-40.0] * 42)
    assert calibrate(weights, records=10, start=0.01) == pytest.approx(3 / 45, rel=1e-6)
    # A pair at even odds before the prior: its probability is the prior.
    assert probability(np.array([0.0]), 0.2)[0] == pytest.approx(0.2)


# -- a run ---------------------------------------------------------------------------------------------------
def _load(hub: Hub, population: dict[str, Path], agencies: list[str]) -> None:
    for agency in agencies:
        list(hub.ingest_people([population[agency]], agency=agency))


@pytest.mark.slow
def test_person_links_hold_pseudonyms_only_and_every_record(hub: Hub, population: dict[str, Path]) -> None:
    _load(hub, population, list(AGENCIES))
    run = hub.link()
    links = _links(hub)
    with Vault.open(hub.settings.data_dir) as vault:
        records = vault.records().to_pylist()
    assert run.records == len(records) == len(links) and run.mode == "full"
    clear = {
        v
        for r in records
        for k, v in r.items()
        if k not in ("load_id", "row_number", "loaded_at", "agency", "file_name", "source", "sex") and v
    }
    stored = {v for r in links for k, v in r.items() if isinstance(v, str)}
    assert not clear & stored
    key = Pseudonymiser(b"test-pseudonym-key-not-for-real-use")
    assert {r["record_key"] for r in links} == {key(r["record_ref"]) for r in records}
    assert all(len(r["person_id"]) == 32 for r in links)
    clusters = hub.link_clusters()
    assert clusters.column_names == ["file_name", "row_number", "person_id"]
    assert clusters.num_rows == len(records)


@pytest.mark.slow
def test_a_source_ref_reaches_the_event_table_by_a_join(hub: Hub, tmp_path: Path) -> None:
    police = tmp_path / "police.csv"
    with police.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "crime_ref",
                "recorded_date",
                "committed_date",
                "offence_code",
                "knife_flag",
                "firearm_flag",
                "domestic_flag",
                "lsoa_code",
                "person_role",
                "person_ref",
                "age",
                "sex",
            ]
        )
        writer.writerow(
            [
                "C1",
                "2021-03-01",
                "2021-03-01",
                "8N",
                "Y",
                "N",
                "N",
                "E01006512",
                "victim",
                " PR-77 ",
                "19",
                "M",
            ]
        )
    list(hub.ingest("police-records", [police]))
    people = [
        {
            "record_ref": f"R{i}",
            "forename": f"name{i}",
            "surname": "Quillfeather",
            "date_of_birth": f"19{80 + i}-01-0{1 + i % 9}",
            "source": "police-records",
            "source_ref": "PR-77" if i == 0 else f"PR-{100 + i}",
        }
        for i in range(30)
    ]
    list(hub.ingest_people([write_people(tmp_path / "people.csv", people)], agency="Merseyside Police"))
    hub.link()
    table, column = LINKED_SOURCES["police-records"]
    found = hub.sql(
        f"""SELECT l.record_key, p.crime_key FROM person_links l
            JOIN {table} p ON p.{column} = l.source_key WHERE l.source = 'police-records'"""
    ).to_pylist()
    key = Pseudonymiser(b"test-pseudonym-key-not-for-real-use")
    assert [r["record_key"] for r in found] == [key("R0")]


@pytest.mark.slow
def test_a_later_load_links_incrementally_and_keeps_the_ids(hub: Hub, population: dict[str, Path]) -> None:
    _load(hub, population, ["police", "emergency-department"])
    first = hub.link()
    before = _person_of(hub)
    _load(hub, population, ["education", "youth-service"])
    second = hub.link()
    after = _person_of(hub)
    assert (first.mode, second.mode) == ("full", "incremental")
    assert second.new_records == second.records - first.records > 0
    earlier: dict[str, set[tuple[str, int]]] = {}
    for record, person in before.items():
        earlier.setdefault(person, set()).add(record)
    kept = merged = 0
    for person, records in earlier.items():
        now = {after[r] for r in records}
        assert len(now) == 1  # an earlier person is never split by an incremental run
        (new_id,) = now
        sharing = {p for p, rs in earlier.items() if any(after[r] == new_id for r in rs)}
        if sharing == {person}:
            assert new_id == person  # untouched, or joined by new records only: the same id
            kept += 1
        else:
            assert new_id in sharing  # merged with another earlier person: one of their ids
            merged += 1
    assert kept > 10 * merged
    police_people = {v for (f, _), v in after.items() if f == "people_police.csv"}
    youth_people = {v for (f, _), v in after.items() if f == "people_youth.csv"}
    assert len(police_people & youth_people) > 0.5 * len(youth_people) * 0.5  # new records joined old people
    with Vault.open(hub.settings.data_dir) as vault:
        audit = [e for e in vault.audit_events() if e["action"] == "link"]
    assert [e["detail"]["mode"] for e in audit] == ["full", "incremental"]
    assert audit[0]["detail"]["model"]["levels"] and audit[0]["detail"]["settings"]["blocking_rules"]
    assert audit[0]["records"] == first.records


@pytest.mark.slow
def test_the_quality_report_keeps_the_earlier_pairs_through_incremental_runs(
    hub: Hub, population: dict[str, Path]
) -> None:
    _load(hub, population, ["police", "emergency-department"])
    hub.link()
    full = hub.link_quality().estimated
    _load(hub, population, ["education"])
    grown = hub.link()
    after_new = hub.link_quality()
    nothing_new = hub.link()
    after_none = hub.link_quality()
    assert grown.mode == nothing_new.mode == "incremental" and nothing_new.new_records == 0
    # The new records' pairs come on top of the earlier ones, none of which named a record that went.
    assert after_new.estimated["pairs_scored"] > full["pairs_scored"] > 0
    assert after_new.estimated["pairs_linked"] > full["pairs_linked"]
    # A run that finds nothing new leaves the report as it was.
    assert after_none.estimated == after_new.estimated
    assert after_none.match_weights == after_new.match_weights
    assert any("earlier runs' pairs" in n for n in after_none.notes)


@pytest.mark.slow
def test_a_full_run_again_gives_the_same_ids(hub: Hub, population: dict[str, Path]) -> None:
    _load(hub, population, ["police", "education"])
    hub.link()
    before = _person_of(hub)
    again = hub.link(full=True)
    assert again.mode == "full" and _person_of(hub) == before


@pytest.mark.slow
def test_purge_removes_the_links_of_the_records_it_forgets(hub: Hub, population: dict[str, Path]) -> None:
    import sqlite3

    from vrhub.linkage.vault import vault_path

    _load(hub, population, ["police", "education"])
    hub.link()
    con = sqlite3.connect(vault_path(hub.settings.data_dir))
    con.execute("UPDATE loads SET loaded_at = '2000-01-01T00:00:00' WHERE agency = 'police'")
    con.commit()
    con.close()
    result = hub.link_purge("365d")
    assert result["person_links"] == result["records"] > 0
    assert {f for (f, _) in _person_of(hub)} == {"people_education.csv"}


@pytest.mark.slow
def test_a_key_rotation_rekeys_the_person_links(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vrhub.config import settings
    from vrhub.pseudonymise import rekey

    monkeypatch.delenv("VRHUB_PSEUDONYM_KEY", raising=False)  # a key in the environment cannot be rotated
    (data_dir / "pseudonym.key").write_text("k" * 40 + "\n")
    hub = Hub(settings(data_dir=data_dir))
    people = [
        {
            "record_ref": f"R{i}",
            "forename": f"name{i}",
            "surname": "Quillfeather",
            "date_of_birth": f"19{80 + i}-01-0{1 + i % 9}",
            "source": "police-records",
            "source_ref": f"PR-{i}",
        }
        for i in range(30)
    ]
    list(hub.ingest_people([write_people(tmp_path / "people.csv", people)], agency="A"))
    hub.link()
    before = {r["row_number"]: r for r in _links(hub)}
    hub.key_rotate()
    layer = hub.settings.key_file.read_bytes().split()[1]
    after = {r["row_number"]: r for r in _links(hub)}
    for n, row in before.items():
        for column in ("record_key", "source_key", "person_id"):
            assert after[n][column] == rekey(layer, row[column])
    # A run under the rotated key makes the very keys and ids the rotation made of the old ones.
    hub.link(full=True)
    assert {r["row_number"]: r for r in _links(hub)} == {n: {**r, "run_id": 2} for n, r in after.items()}

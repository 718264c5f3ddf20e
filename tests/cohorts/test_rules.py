"""Rule cohorts are data: the two shipped rules pick the people they say, from their first qualifying
record; a malformed rule is refused naming its file and the key at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cohorts.links import write_links
from tests.sources.helpers import ingest, write_lines
from vrhub.cohorts.linked import NoLinkedPeople, links
from vrhub.cohorts.members import members
from vrhub.cohorts.model import CohortError, builtin_cohorts, builtin_outcomes, folder_cohorts, parse_cohort
from vrhub.hub import Hub

HEADER = (
    "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,"
    "person_role,person_ref,age,sex"
)
POLICE = [
    HEADER,
    "K1,2019-03-01,2019-03-01,8N,Y,N,N,E01006412,victim,V1,19,M",  # in, from 1 March
    "K2,2019-07-01,2019-07-01,8N,Y,N,N,E01006412,victim,V1,19,M",  # V1 again: no second start
    "K3,2019-05-01,2019-05-01,8N,Y,N,N,E01006412,victim,V2,25,M",  # 25 is not under 25
    "K4,2018-12-31,2018-12-31,8N,Y,N,N,E01006412,victim,V3,19,M",  # 2018
    "K5,2019-04-01,2019-04-01,8N,Y,N,N,E01006412,suspect,V4,19,M",  # a suspect
    "K6,2019-04-01,2019-04-01,8N,N,N,N,E01006412,victim,V5,19,M",  # no knife
    "K7,2019-08-01,2019-08-01,8N,Y,N,N,E01006412,victim,V6,20,F",  # in the rule, but not linked
    "K8,2019-06-01,2019-06-01,8N,Y,N,N,E01006412,victim,V7,,F",  # age unknown: not known to be under 25
]
EDUCATION = [
    "pupil_ref,event_type,start_date,end_date,provider,lsoa_code,postcode_district,age,sex",
    "P1,suspension,2019-01-10,2019-01-12,,E01006412,,14,M",
    "P1,permanent_exclusion,2019-02-01,,,E01006412,,14,M",  # P1 from 1 February
    "P2,missing_education,2019-09-01,,,,L8,13,F",  # P2 from 1 September
    "P2,permanent_exclusion,2019-11-01,,,,L8,13,F",
    "P3,persistent_absence,2019-03-01,,,,,12,F",  # not in the rule
]


def _members(hub: Hub, name: str) -> tuple[dict[str, str], int, int]:
    with hub.open(read_only=True) as wh:
        found = members(wh, builtin_cohorts()[name], links(wh))
        rows = wh.to_arrow(found.people).to_pylist()
    return {r["person_id"]: str(r["start_date"]) for r in rows}, found.records, found.linked


@pytest.mark.slow
def test_young_knife_victims_of_2019_from_their_first_such_crime(hub: Hub, tmp_path: Path) -> None:
    ingest(hub, "police-records", write_lines(tmp_path / "police.csv", POLICE))
    write_links(hub, [("police-records", f"V{i}", f"person-{i}") for i in (1, 2, 3, 4, 5, 7)])
    people, records, linked = _members(hub, "young-knife-victims-2019")
    assert people == {"person-1": "2019-03-01"}
    assert (records, linked) == (3, 2)  # K1, K2, K7 meet the rule; V6's K7 is not linked


@pytest.mark.slow
def test_pupils_permanently_excluded_or_missing_education(hub: Hub, tmp_path: Path) -> None:
    ingest(hub, "education-records", write_lines(tmp_path / "education.csv", EDUCATION))
    write_links(hub, [("education-records", f"P{i}", f"pupil-{i}") for i in (1, 2, 3)])
    people, records, _ = _members(hub, "excluded-or-missing-education")
    assert people == {"pupil-1": "2019-02-01", "pupil-2": "2019-09-01"} and records == 3


@pytest.mark.slow
def test_the_latest_linkage_run_places_a_reference(hub: Hub, tmp_path: Path) -> None:
    """A later run that moved V1 to another person wins; the earlier run's placement is history."""
    ingest(hub, "police-records", write_lines(tmp_path / "police.csv", POLICE))
    write_links(hub, [("police-records", "V1", "old-id")], run_id=1)
    write_links(hub, [("police-records", "V1", "new-id")], run_id=2)
    assert _members(hub, "young-knife-victims-2019")[0] == {"new-id": "2019-03-01"}


def test_without_linked_people_cohorts_are_listed_with_no_members(hub: Hub) -> None:
    table = hub.cohorts()
    assert set(table["name"]) == {"young-knife-victims-2019", "excluded-or-missing-education"}
    assert table["members"].isna().all()
    with pytest.raises(NoLinkedPeople) as refused:
        hub.cohort_outcomes("young-knife-victims-2019")
    assert "no linked people" in refused.value.message


def test_the_shipped_outcomes() -> None:
    outcomes = builtin_outcomes()
    assert list(outcomes) == ["offending", "violence-victim", "ed-assault", "neet"]
    assert {o.rule.source for o in outcomes.values()} == {
        "police-records",
        "ed-attendances",
        "education-records",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\ntitle: X\nsource: fire\n", "source 'fire' is not one people are linked in"),
        ("name: x\ntitle: X\nsource: police-records\nwhere: {colour: red}\n", "where names 'colour'"),
        ("name: x\ntitle: X\nsource: police-records\nwhere: {age: {over: 3}}\n", "unknown bound(s) ['over']"),
        ("name: x\ntitle: X\nsource: police-records\nwhere: {age: old}\n", "age: 'old' is not a number"),
        (
            "name: x\ntitle: X\nsource: police-records\nwhere: {committed_date: {min: 2019-13-01}}\n",
            "not a date",
        ),
        ("name: x\ntitle: X\nsource: police-records\nstart: age\n", "start 'age' is not a date column"),
        ("name: x\ntitle: X\nsource: police-records\nrules: []\n", "unknown key(s) ['rules']"),
        ("name: x\nsource: police-records\n", "missing title"),
        ("name: [x\n", "is not valid YAML"),
    ],
)
def test_a_malformed_rule_is_refused_naming_its_file(text: str, message: str) -> None:
    with pytest.raises(CohortError) as refused:
        parse_cohort(text, "mine.yaml")
    assert refused.value.message.startswith("mine.yaml") and message in refused.value.message


def test_a_partnership_s_folder_of_cohorts(tmp_path: Path) -> None:
    (tmp_path / "girls.yaml").write_text(
        "name: girls-excluded\ntitle: Girls excluded\nsource: education-records\n"
        "where: {sex: F, event_type: [permanent_exclusion, suspension]}\n"
    )
    cohort = folder_cohorts(tmp_path)["girls-excluded"]
    assert cohort.kind == "rule" and cohort.rule is not None and cohort.rule.date == "start_date"
    assert cohort.label.startswith("girls-excluded@+")

"""Definitions, table-driven over offence codes and flags."""

from __future__ import annotations

from pathlib import Path

import ibis
import pandas as pd
import pytest

from vrhub.definitions import (
    DEFINITIONS_ENV,
    builtin_definitions,
    definitions,
    describe,
    exclusion_effect,
    get_definition,
    load_definition,
    predicate,
)
from vrhub.errors import DefinitionError

# code, knife, firearm, domestic -> merseyside_local, home_office, home_office_hotspot, home_office_knife,
# home_office_gun, merseyside_offence_groups
NAMES = (
    "merseyside_local",
    "home_office",
    "home_office_hotspot",
    "home_office_knife",
    "home_office_gun",
    "merseyside_offence_groups",
)
CASES = [
    ("1", False, False, False, (1, 1, 1, 0, 0, 1)),  # homicide: always (ONS knife count needs the flag)
    ("4.1", True, False, False, (1, 1, 1, 1, 0, 1)),
    ("2", False, False, False, (1, 0, 1, 0, 0, 1)),  # attempted murder: local always, HO with a weapon
    ("2", True, False, False, (1, 1, 1, 1, 0, 1)),
    ("5D", False, False, False, (1, 0, 1, 0, 0, 1)),  # s18 GBH (incl. on a constable resisting arrest)
    ("5D", False, True, False, (1, 1, 1, 0, 1, 1)),
    ("56A", False, False, False, (1, 0, 0, 0, 0, 0)),  # arson endangering life: local only
    ("56B", False, False, False, (0, 0, 0, 0, 0, 0)),  # arson not endangering life: none
    ("34B", False, False, False, (1, 0, 1, 0, 0, 0)),  # all robbery is local serious violence
    ("34A", True, False, False, (1, 1, 1, 1, 0, 0)),
    ("8N", False, False, False, (0, 0, 1, 0, 0, 1)),  # assault with injury: local only with a weapon
    ("8N", True, False, False, (1, 1, 1, 1, 0, 1)),
    ("8N", False, True, False, (1, 1, 1, 0, 1, 1)),
    ("8S", False, False, False, (0, 0, 1, 0, 0, 1)),  # assault with injury on a constable (s47/s20)
    ("8S", True, False, False, (1, 1, 1, 1, 0, 1)),
    ("3B", True, False, False, (1, 1, 0, 1, 0, 1)),  # threats to kill with a knife
    ("3B", False, False, False, (0, 0, 0, 0, 0, 1)),
    ("19C", True, False, False, (1, 1, 0, 1, 0, 0)),  # rape with a knife
    ("20A", False, False, False, (0, 0, 0, 0, 0, 0)),
    ("5E", True, False, False, (1, 0, 1, 0, 1, 1)),  # endangering life: local knife list; a firearms offence
    ("10D", True, False, False, (0, 0, 0, 0, 0, 1)),  # possession of a blade: never serious violence
    ("10D", False, True, False, (0, 0, 0, 0, 1, 1)),
    ("10D", False, False, False, (0, 0, 0, 0, 0, 1)),
    ("10A", False, True, False, (0, 0, 0, 0, 1, 1)),  # possession of firearms with intent: gun crime only
    ("10A", False, False, False, (0, 0, 0, 0, 1, 1)),
    ("105A", True, False, False, (0, 0, 0, 0, 0, 1)),  # assault without injury: never serious violence
    ("58D", False, False, False, (0, 0, 0, 0, 0, 0)),
    ("58D", False, True, False, (0, 0, 0, 0, 1, 0)),  # any offence with a firearm is gun crime
    ("92D", False, False, False, (0, 0, 0, 0, 0, 0)),  # drug possession: not in the Table 2 groups
    ("99", False, False, False, (0, 0, 0, 0, 0, 1)),  # miscellaneous crimes against society
    # Domestic abuse: the local definition leaves it out ("does not include Domestic Abuse"), the others not.
    ("1", False, False, True, (0, 1, 1, 0, 0, 1)),
    ("8N", True, False, True, (0, 1, 1, 1, 0, 1)),
    ("34B", False, False, True, (0, 0, 1, 0, 0, 0)),
]


def classify(name: str, code: str, knife: bool, firearm: bool, domestic: bool = False) -> bool:
    t = ibis.memtable(
        {"offence_code": [code], "knife": [knife], "firearm": [firearm], "domestic": [domestic]}
    )
    return bool(t.select(hit=predicate(get_definition(name), t)).to_pyarrow()["hit"][0].as_py())


@pytest.mark.parametrize(("code", "knife", "firearm", "domestic", "expected"), CASES)
def test_classification(code: str, knife: bool, firearm: bool, domestic: bool, expected: tuple) -> None:
    got = tuple(int(classify(name, code, knife, firearm, domestic)) for name in NAMES)
    assert got == expected, dict(zip(NAMES, got, strict=True))


def test_an_unrecorded_domestic_flag_is_counted() -> None:
    t = ibis.memtable(
        {"offence_code": ["34B"], "knife": [None], "firearm": [None], "domestic": [None]},
        schema={"offence_code": "string", "knife": "boolean", "firearm": "boolean", "domestic": "boolean"},
    )
    hit = t.select(hit=predicate(get_definition("merseyside_local"), t)).to_pyarrow()["hit"][0].as_py()
    assert hit is True


def test_the_exclusions_effect_is_counted_per_year() -> None:
    # Crimes a, b (2019) and c (2020) meet the local rules; b is domestic, d (10D) meets none; a has two rows.
    t = ibis.memtable(
        {
            "crime_key": ["a", "a", "b", "c", "d"],
            "committed_date": pd.to_datetime(
                ["2019-03-01", "2019-03-01", "2019-07-01", "2020-01-05", "2019-01-01"]
            ).date,
            "offence_code": ["34B", "34B", "1", "5D", "10D"],
            "knife": [False] * 5,
            "firearm": [False] * 5,
            "domestic": [False, False, True, False, False],
        }
    )
    got = exclusion_effect(get_definition("merseyside_local"), t).to_pyarrow().to_pylist()
    assert got == [
        {"year": 2019, "meet_rules": 2, "excluded": 1, "counted": 1},
        {"year": 2020, "meet_rules": 1, "excluded": 0, "counted": 1},
    ]


def test_offence_groups_expand_to_their_codes() -> None:
    groups = get_definition("merseyside_offence_groups")
    assert {"1", "8N", "105A", "8Q", "10D", "10A", "90", "99", "33"} <= set(groups.codes())
    assert not {"34B", "92D", "58D", "19C"} & set(groups.codes())


def test_a_partnerships_own_definitions_load_from_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ours.yaml").write_text(
        "name: ours\ntitle: Ours\nversion: 1\napplies_to: police_records\nrules:\n"
        "  - label: robbery\n    offence_groups: [robbery]\n"
    )
    monkeypatch.setenv(DEFINITIONS_ENV, str(tmp_path))
    assert "ours" in definitions() and "merseyside_local" in definitions()
    assert classify("ours", "34A", False, False) and not classify("ours", "8N", True, False)
    monkeypatch.setenv(DEFINITIONS_ENV, str(tmp_path / "missing"))
    with pytest.raises(DefinitionError, match="does not exist"):
        definitions()


def test_an_unknown_group_or_key_is_refused(tmp_path: Path) -> None:
    head = "name: x\ntitle: x\nversion: 1\napplies_to: police_records\n"
    bad = tmp_path / "bad.yaml"
    bad.write_text(head + "rules:\n  - label: g\n    offence_groups: [violence-galore]\n")
    with pytest.raises(DefinitionError, match="violence-galore"):
        load_definition(bad)
    bad.write_text(head + "exclude: [domestic]\nrules: []\n")
    with pytest.raises(DefinitionError, match="unknown key"):
        load_definition(bad)


def test_a_missing_flag_is_not_a_knife() -> None:
    t = ibis.memtable(
        {"offence_code": ["8N"], "knife": [None], "firearm": [None], "domestic": [None]},
        schema={"offence_code": "string", "knife": "boolean", "firearm": "boolean", "domestic": "boolean"},
    )
    assert (
        t.select(hit=predicate(get_definition("merseyside_local"), t)).to_pyarrow()["hit"][0].as_py() is False
    )


def test_police_uk_proxy_is_labelled_a_proxy() -> None:
    proxy = get_definition("police_uk_proxy")
    assert proxy.proxy and "PROXY" in describe(proxy)
    t = ibis.memtable({"crime_type": ["Robbery", "Burglary", "Violence and sexual offences"]})
    assert t.select(hit=predicate(proxy, t)).to_pyarrow()["hit"].to_pylist() == [True, False, True]


def test_describe_gives_words_and_codes() -> None:
    text = describe(get_definition("merseyside_local"))
    assert (
        "Arson endangering life" in text and "56A" in text and "only when knife or firearm involved" in text
    )


def test_changing_a_definition_makes_a_new_version(tmp_path: Path) -> None:
    original = get_definition("merseyside_local")
    edited = tmp_path / "edited.yaml"
    edited.write_text(original.text.replace('- {code: "56A", label: Arson endangering life}', ""))
    changed = load_definition(edited)
    assert changed.version == original.version and changed.label != original.label
    assert "56A" not in changed.codes()


def test_an_unknown_offence_code_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\ntitle: x\nversion: 1\napplies_to: police_records\nrules:\n"
        "  - label: nonsense\n    offence_codes: [{code: ZZ9}]\n"
    )
    with pytest.raises(DefinitionError, match="ZZ9"):
        load_definition(bad)


def test_every_definition_names_only_known_codes() -> None:
    assert {
        "merseyside_local",
        "home_office",
        "home_office_hotspot",
        "home_office_knife",
        "home_office_gun",
        "merseyside_offence_groups",
        "police_uk_proxy",
    } <= set(builtin_definitions())

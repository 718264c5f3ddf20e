"""Definitions, table-driven over offence codes and flags."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest

from vrhub.definitions import builtin_definitions, describe, get_definition, load_definition, predicate
from vrhub.errors import DefinitionError

# code, knife, firearm, merseyside_local, home_office
CASES = [
    ("1", False, False, True, True),  # homicide: always
    ("4.1", False, False, True, True),
    ("2", False, False, True, False),  # attempted murder: local always, Home Office only with a weapon
    ("2", True, False, True, True),
    ("5D", False, False, True, False),  # s18 GBH: local always
    ("5D", False, True, True, True),
    ("56A", False, False, True, False),  # arson endangering life: local only
    ("56B", False, False, False, False),  # arson not endangering life: neither
    ("34B", False, False, True, False),  # all robbery is local serious violence
    ("34A", True, False, True, True),
    ("8N", False, False, False, False),  # assault with injury: only knife- or firearm-enabled
    ("8N", True, False, True, True),
    ("8N", False, True, True, True),
    ("8S", False, False, False, False),
    ("8S", True, False, True, True),
    ("3B", True, False, True, True),  # threats to kill with a knife
    ("3B", False, False, False, False),
    ("19C", True, False, True, True),  # rape with a knife
    ("20A", False, False, False, False),
    (
        "5E",
        True,
        False,
        True,
        False,
    ),  # endangering life: in the local knife list, not a Home Office selected offence
    ("10D", True, False, True, False),  # possession of a blade: counted by the strategy as knife-enabled SV
    ("105A", True, False, False, False),  # assault without injury: never
    ("58D", False, False, False, False),
]


def classify(name: str, code: str, knife: bool, firearm: bool) -> bool:
    t = ibis.memtable({"offence_code": [code], "knife": [knife], "firearm": [firearm], "domestic": [False]})
    return bool(t.select(hit=predicate(get_definition(name), t)).to_pyarrow()["hit"][0].as_py())


@pytest.mark.parametrize(("code", "knife", "firearm", "local", "home_office"), CASES)
def test_classification(code: str, knife: bool, firearm: bool, local: bool, home_office: bool) -> None:
    assert classify("merseyside_local", code, knife, firearm) is local
    assert classify("home_office", code, knife, firearm) is home_office


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
    assert {"merseyside_local", "home_office", "police_uk_proxy"} <= set(builtin_definitions())

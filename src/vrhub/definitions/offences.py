"""The Home Office offence codes vrhub recognises, from the ONS crime offence hierarchy (shipped)."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

# The ONS file lists homicide as one node; the Home Office Counting Rules give it four codes.
_HOMICIDE_NODE = "1-4.1-4.10-4.2"
HOMICIDE_CODES = ("1", "4.1", "4.2", "4.10")


@dataclass(frozen=True)
class Offence:
    code: str
    label: str
    group: str  # the depth-1 ancestor, e.g. violence-against-the-person
    group_label: str


@functools.cache
def offences() -> dict[str, Offence]:
    text = resources.files("vrhub").joinpath("data/ons_crime_offence_hierarchy.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    by_code = {row["code"]: row for row in rows}

    def group_of(code: str) -> tuple[str, str]:
        row = by_code[code]
        while row["parent_code"] and row["parent_code"] != "offence":
            row = by_code[row["parent_code"]]
        return row["code"], row["label"]

    found: dict[str, Offence] = {}
    for row in rows:
        if row["is_leaf"] != "Y":
            continue
        group, group_label = group_of(row["code"])
        codes = HOMICIDE_CODES if row["code"] == _HOMICIDE_NODE else (row["code"],)
        for code in codes:
            found[code] = Offence(code, row["label"], group, group_label)
    return found


@functools.cache
def group_codes(node: str) -> tuple[str, ...]:
    """The leaf offence codes under an ONS hierarchy node (a group or subgroup); () for an unknown node."""
    text = resources.files("vrhub").joinpath("data/ons_crime_offence_hierarchy.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    children: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        children.setdefault(row["parent_code"], []).append(row)
    found: list[str] = []
    stack = list(children.get(node, []))
    while stack:
        row = stack.pop()
        if row["is_leaf"] == "Y":
            codes = HOMICIDE_CODES if row["code"] == _HOMICIDE_NODE else (row["code"],)
            found += [c for c in codes if c not in found]
        stack += children.get(row["code"], [])
    return tuple(sorted(found))


def normalise_code(code: str) -> str:
    """`008N` or ` 8n ` -> `8N`: forces pad codes with zeros and vary the case."""
    code = code.strip().upper()
    stripped = code.lstrip("0")
    return stripped if stripped and not stripped.startswith(".") else code

"""Definitions are data: YAML files read into these classes, then turned into Ibis predicates."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from vrhub.definitions.offences import offences
from vrhub.errors import DefinitionError

FLAGS = ("knife", "firearm", "domestic")


@dataclass(frozen=True)
class Rule:
    label: str
    offence_codes: tuple[tuple[str, str], ...] = ()  # (code, label)
    any_flag: tuple[str, ...] = ()
    crime_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Definition:
    name: str
    title: str
    version: str
    applies_to: str
    description: str
    source: str
    rules: tuple[Rule, ...]
    sha256: str
    text: str = field(repr=False)
    proxy: bool = False

    @property
    def label(self) -> str:
        """What every measure records: the stated version plus the file's hash, so no edit goes unseen."""
        return f"{self.name}@{self.version}+{self.sha256[:8]}"

    def codes(self) -> list[str]:
        return sorted({code for rule in self.rules for code, _ in rule.offence_codes})


def _parse(text: str, origin: str) -> Definition:
    try:
        doc = yaml.safe_load(text)
        rules = []
        for raw in doc["rules"]:
            codes = tuple((str(c["code"]), str(c.get("label", ""))) for c in raw.get("offence_codes", []))
            flags = tuple(raw.get("any_flag", []))
            bad_flags = [f for f in flags if f not in FLAGS]
            if bad_flags:
                raise DefinitionError(f"{origin}: unknown flag(s) {bad_flags}", f"Use one of {list(FLAGS)}.")
            unknown = [c for c, _ in codes if c not in offences()]
            if unknown:
                raise DefinitionError(
                    f"{origin}: rule '{raw['label']}' names offence codes vrhub does not know: {unknown}",
                    "Use Home Office offence codes from the ONS crime offence hierarchy.",
                )
            rules.append(Rule(raw["label"], codes, flags, tuple(raw.get("crime_types", []))))
        return Definition(
            name=doc["name"],
            title=doc["title"],
            version=str(doc["version"]),
            applies_to=doc["applies_to"],
            description=" ".join(str(doc.get("description", "")).split()),
            source=doc.get("source", ""),
            rules=tuple(rules),
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            text=text,
            proxy=bool(doc.get("proxy", False)),
        )
    except (KeyError, TypeError, yaml.YAMLError) as exc:
        raise DefinitionError(
            f"{origin} is not a valid definition: {exc}", "See docs/architecture.md, 'Definitions'."
        ) from exc


@functools.cache
def builtin_definitions() -> dict[str, Definition]:
    found = {}
    for entry in resources.files("vrhub.definitions").iterdir():
        if entry.name.endswith(".yaml"):
            definition = _parse(entry.read_text("utf-8"), entry.name)
            found[definition.name] = definition
    return found


def load_definition(path: Path) -> Definition:
    return _parse(path.read_text("utf-8"), str(path))


def get_definition(name: str) -> Definition:
    known = builtin_definitions()
    if name not in known:
        raise DefinitionError(
            f"no definition named '{name}'", f"Known definitions: {', '.join(sorted(known))}."
        )
    return known[name]

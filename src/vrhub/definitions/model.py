"""Definitions are data: YAML files read into these classes, then turned into Ibis predicates."""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from vrhub.definitions.offences import group_codes, offences
from vrhub.errors import DefinitionError, UnknownDefinition

FLAGS = ("knife", "firearm", "domestic")
# Where a partnership keeps its own definitions (a folder of YAML files), besides the installed ones.
DEFINITIONS_ENV = "VRHUB_DEFINITIONS"


@dataclass(frozen=True)
class Rule:
    label: str
    offence_codes: tuple[tuple[str, str], ...] = ()  # (code, label)
    any_flag: tuple[str, ...] = ()
    crime_types: tuple[str, ...] = ()
    offence_groups: tuple[str, ...] = ()  # ONS hierarchy nodes, e.g. violence-against-the-person

    def all_codes(self) -> list[str]:
        """The offence codes the rule names, its groups' leaf codes included."""
        codes = [code for code, _ in self.offence_codes]
        for group in self.offence_groups:
            codes += [c for c in group_codes(group) if c not in codes]
        return codes


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
    # Records with any of these flags set are never counted, whatever rule they meet (the local
    # definition "does not include domestic abuse").
    exclude_flags: tuple[str, ...] = ()
    origin: str = ""  # the file it was read from

    @property
    def label(self) -> str:
        """What every measure records: the stated version plus the file's hash, so no edit goes unseen."""
        return f"{self.name}@{self.version}+{self.sha256[:8]}"

    def codes(self) -> list[str]:
        return sorted({code for rule in self.rules for code in rule.all_codes()})


def _parse(text: str, origin: str) -> Definition:
    try:
        doc = yaml.safe_load(text)
        if not isinstance(doc, dict):
            raise TypeError("the file is not a mapping of keys to values")
        unknown_keys = set(doc) - _KEYS
        if unknown_keys:
            raise DefinitionError(
                f"{origin}: unknown key(s) {sorted(unknown_keys)}", f"Use only {', '.join(sorted(_KEYS))}."
            )
        excluded = tuple(doc.get("exclude_flags", []))
        rules = []
        for raw in doc["rules"]:
            codes = tuple((str(c["code"]), str(c.get("label", ""))) for c in raw.get("offence_codes", []))
            flags = tuple(raw.get("any_flag", []))
            bad_flags = [f for f in (*flags, *excluded) if f not in FLAGS]
            if bad_flags:
                raise DefinitionError(f"{origin}: unknown flag(s) {bad_flags}", f"Use one of {list(FLAGS)}.")
            unknown = [c for c, _ in codes if c not in offences()]
            if unknown:
                raise DefinitionError(
                    f"{origin}: rule '{raw['label']}' names offence codes vrhub does not know: {unknown}",
                    "Use Home Office offence codes from the ONS crime offence hierarchy.",
                )
            groups = tuple(str(g) for g in raw.get("offence_groups", []))
            bad_groups = [g for g in groups if not group_codes(g)]
            if bad_groups:
                raise DefinitionError(
                    f"{origin}: rule '{raw['label']}' names offence groups vrhub does not know: {bad_groups}",
                    "Use a group or subgroup code of the ONS crime offence hierarchy, e.g. "
                    "violence-against-the-person or violence-with-injury.",
                )
            rules.append(Rule(raw["label"], codes, flags, tuple(raw.get("crime_types", [])), groups))
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
            exclude_flags=excluded,
            origin=origin,
        )
    except (KeyError, TypeError, yaml.YAMLError) as exc:
        raise DefinitionError(
            f"{origin} is not a valid definition: {exc}", "See docs/architecture.md, 'Definitions'."
        ) from exc


_KEYS = {
    "name",
    "title",
    "version",
    "applies_to",
    "source",
    "description",
    "rules",
    "proxy",
    "exclude_flags",
}


@functools.cache
def builtin_definitions() -> dict[str, Definition]:
    """The definitions installed with vrhub."""
    found = {}
    for entry in resources.files("vrhub.definitions").iterdir():
        if entry.name.endswith(".yaml"):
            definition = _parse(entry.read_text("utf-8"), entry.name)
            found[definition.name] = definition
    return found


def load_definition(path: Path) -> Definition:
    return _parse(path.read_text("utf-8"), str(path))


@functools.cache
def _folder_definitions(folder: str, stamp: tuple[tuple[str, float], ...]) -> dict[str, Definition]:
    # `stamp` (names and modification times) makes an edited file read again.
    found: dict[str, Definition] = {}
    for name, _ in stamp:
        definition = load_definition(Path(folder) / name)
        if definition.name in found:
            raise DefinitionError(
                f"{folder}: two files define '{definition.name}'", "Give each definition its own name."
            )
        found[definition.name] = definition
    return found


def user_definitions(folder: str | Path | None = None) -> dict[str, Definition]:
    """A partnership's own definitions: the YAML files in `folder` (default: $VRHUB_DEFINITIONS)."""
    folder = folder or os.environ.get(DEFINITIONS_ENV)
    if not folder:
        return {}
    path = Path(folder)
    if not path.is_dir():
        raise DefinitionError(
            f"the definitions folder {path} does not exist",
            f"Give --definitions (or ${DEFINITIONS_ENV}) a folder of definition YAML files.",
        )
    files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return _folder_definitions(str(path), tuple((p.name, p.stat().st_mtime) for p in files))


def definitions() -> dict[str, Definition]:
    """The definitions in force: the installed ones, and the partnership's own, which replace an installed
    one of the same name (its label's hash tells them apart in every output)."""
    return {**builtin_definitions(), **user_definitions()}


def get_definition(name: str) -> Definition:
    known = definitions()
    if name not in known:
        raise UnknownDefinition(
            f"no definition named '{name}'",
            f"Known definitions: {', '.join(sorted(known))}.",
            parameter="definition",
            value=name,
        )
    return known[name]

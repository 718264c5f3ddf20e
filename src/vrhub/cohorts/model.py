"""Cohorts and outcomes are data: YAML files read into these classes, their rules turned into Ibis filters.

A rule picks records of one linked source (`where`: column conditions, all of which must hold) and dates
each by one of its date columns. A rule cohort's members are the people with a record it picks, each
starting at their first such record; an outcome is any later record its rule picks. A participants cohort
is an intervention's participants, starting at their start date (made from the data: no file).

    where:
      person_role: victim                 # equal to
      offence_group: [robbery, violence-against-the-person]   # one of
      age: {under: 25}                    # below (also: min, max, both inclusive)
      committed_date: {min: 2019-01-01, max: 2019-12-31}
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import yaml

from vrhub.cohorts.linked import LINKED
from vrhub.errors import VrhubError
from vrhub.warehouse.tables import SCHEMAS

PARTICIPANTS = "participants:"  # a participants cohort's name: participants:<intervention>
_BOUNDS = ("min", "max", "under")
_COHORT_KEYS = {"name", "title", "version", "description", "source", "where", "start"}
_OUTCOME_KEYS = {"name", "title", "description", "source", "where", "date"}


class CohortError(VrhubError):
    """A cohort or outcome file is malformed, or names a cohort there is not."""

    exit_code = 2


@dataclass(frozen=True)
class Condition:
    column: str
    one_of: tuple[Any, ...] = ()
    low: Any = None  # at least
    high: Any = None  # at most
    under: Any = None  # below

    def test(self, t: ir.Table) -> ir.BooleanValue:
        value = t[self.column]
        tests = []
        if self.one_of:
            tests.append(value.isin(list(self.one_of)))
        if self.low is not None:
            tests.append(value >= self.low)
        if self.high is not None:
            tests.append(value <= self.high)
        if self.under is not None:
            tests.append(value < self.under)
        # A record without the value does not meet the condition (an unknown age is not under 25).
        return ibis.and_(*tests).fill_null(False)


@dataclass(frozen=True)
class Rule:
    """Records of one linked source that meet every condition, each dated by `date`."""

    source: str
    where: tuple[Condition, ...]
    date: str

    @property
    def table(self) -> str:
        return LINKED[self.source].table

    def rows(self, t: ir.Table) -> ir.Table:
        if self.where:
            t = t.filter(ibis.and_(*(c.test(t) for c in self.where)))
        return t.filter(t[self.date].notnull())


@dataclass(frozen=True)
class Cohort:
    name: str
    title: str
    description: str = ""
    rule: Rule | None = None  # a rule cohort
    intervention: str | None = None  # a participants cohort
    version: str = ""
    sha256: str = ""
    origin: str = ""

    @property
    def kind(self) -> str:
        return "rule" if self.rule is not None else "participants"

    @property
    def label(self) -> str:
        """What an output records: the stated version and the file's hash, so no edit goes unseen."""
        return f"{self.name}@{self.version}+{self.sha256[:8]}" if self.sha256 else self.name


@dataclass(frozen=True)
class Outcome:
    name: str
    title: str
    rule: Rule
    description: str = ""


def participants_cohort(intervention: str) -> Cohort:
    return Cohort(
        name=f"{PARTICIPANTS}{intervention}",
        title=f"Participants of {intervention}",
        description=f"People who took part in {intervention}, each from their start date.",
        intervention=intervention,
    )


def _rule(doc: dict[str, Any], date_key: str, origin: str) -> Rule:
    source = doc.get("source")
    if source not in LINKED:
        raise CohortError(
            f"{origin}: source '{source}' is not one people are linked in",
            f"Use one of: {', '.join(LINKED)}.",
        )
    schema = SCHEMAS[LINKED[source].table]
    date = doc.get(date_key) or LINKED[source].date
    if date not in schema or not (schema[date].is_date() or schema[date].is_timestamp()):
        dates = [c for c, t in schema.items() if t.is_date() or t.is_timestamp()]
        raise CohortError(
            f"{origin}: {date_key} '{date}' is not a date column of {source}",
            f"Use one of: {', '.join(dates)}.",
        )
    where = doc.get("where") or {}
    if not isinstance(where, dict):
        raise CohortError(f"{origin}: where is not a mapping of columns to conditions", _SEE)
    conditions = []
    for column, wanted in where.items():
        if column not in schema:
            raise CohortError(
                f"{origin}: where names '{column}', not a column of {source}",
                f"Use one of: {', '.join(c for c in schema.names if not c.endswith('_key'))}.",
            )
        conditions.append(_condition(column, wanted, schema[column], origin))
    return Rule(source, tuple(conditions), date)


def _condition(column: str, wanted: Any, dtype: Any, origin: str) -> Condition:
    def typed(value: Any) -> Any:
        if dtype.is_date() or dtype.is_timestamp():
            if isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    value = None
            if not isinstance(value, dt.date):
                raise CohortError(
                    f"{origin}: {column}: {wanted!r} is not a date", "Write dates as YYYY-MM-DD."
                )
        elif dtype.is_numeric() and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise CohortError(f"{origin}: {column}: {wanted!r} is not a number", _SEE)
        elif dtype.is_boolean() and not isinstance(value, bool):
            raise CohortError(f"{origin}: {column}: {wanted!r} is not true or false", _SEE)
        elif dtype.is_string():
            return str(value)  # an offence code written 8 in YAML is the text '8'
        return value

    if isinstance(wanted, dict):
        unknown = set(wanted) - set(_BOUNDS)
        if unknown or not wanted:
            raise CohortError(
                f"{origin}: {column}: unknown bound(s) {sorted(unknown)}", f"Use {', '.join(_BOUNDS)}."
            )
        return Condition(
            column,
            low=_get(wanted, "min", typed),
            high=_get(wanted, "max", typed),
            under=_get(wanted, "under", typed),
        )
    listed = wanted if isinstance(wanted, list) else [wanted]
    return Condition(column, one_of=tuple(typed(v) for v in listed))


def _get(bounds: dict[str, Any], key: str, typed: Any) -> Any:
    return typed(bounds[key]) if key in bounds else None


_SEE = "See docs/cohorts.md, 'Cohorts as data'."


def _mapping(text: str, origin: str) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CohortError(f"{origin} is not valid YAML: {exc}", _SEE) from exc
    except ValueError as exc:  # YAML reads 2019-13-01 as a date, and fails
        raise CohortError(f"{origin}: a value is not a date ({exc})", "Write dates as YYYY-MM-DD.") from exc
    if not isinstance(doc, dict):
        raise CohortError(f"{origin}: the file is not a mapping of keys to values", _SEE)
    return doc


def _keys(doc: dict[str, Any], allowed: set[str], origin: str, required: tuple[str, ...]) -> None:
    unknown = set(doc) - allowed
    if unknown:
        raise CohortError(
            f"{origin}: unknown key(s) {sorted(unknown)}", f"Use only {', '.join(sorted(allowed))}."
        )
    missing = [k for k in required if not doc.get(k)]
    if missing:
        raise CohortError(f"{origin}: missing {', '.join(missing)}", _SEE)


def parse_cohort(text: str, origin: str) -> Cohort:
    doc = _mapping(text, origin)
    _keys(doc, _COHORT_KEYS, origin, ("name", "title", "source"))
    name = str(doc["name"])
    if name.startswith(PARTICIPANTS):
        raise CohortError(
            f"{origin}: a cohort's name may not begin '{PARTICIPANTS}'", "Those name interventions."
        )
    return Cohort(
        name=name,
        title=str(doc["title"]),
        description=" ".join(str(doc.get("description", "")).split()),
        rule=_rule(doc, "start", origin),
        version=str(doc.get("version", "")),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        origin=origin,
    )


def parse_outcomes(text: str, origin: str) -> dict[str, Outcome]:
    doc = _mapping(text, origin)
    found: dict[str, Outcome] = {}
    for raw in doc.get("outcomes") or []:
        if not isinstance(raw, dict):
            raise CohortError(f"{origin}: an outcome is not a mapping of keys to values", _SEE)
        _keys(raw, _OUTCOME_KEYS, origin, ("name", "title", "source"))
        outcome = Outcome(
            str(raw["name"]),
            str(raw["title"]),
            _rule(raw, "date", f"{origin}: outcome {raw['name']}"),
            " ".join(str(raw.get("description", "")).split()),
        )
        if outcome.name in found:
            raise CohortError(f"{origin}: two outcomes named '{outcome.name}'", "Give each its own name.")
        found[outcome.name] = outcome
    if not found:
        raise CohortError(f"{origin}: no outcomes", _SEE)
    return found


@functools.cache
def builtin_cohorts() -> dict[str, Cohort]:
    """The rule cohorts installed with vrhub (src/vrhub/cohorts/rules/)."""
    found = {}
    for entry in sorted(resources.files("vrhub.cohorts").joinpath("rules").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            cohort = parse_cohort(entry.read_text("utf-8"), entry.name)
            found[cohort.name] = cohort
    return found


def folder_cohorts(folder: Path) -> dict[str, Cohort]:
    """A partnership's own rule cohorts: the YAML files in `folder`."""
    if not folder.is_dir():
        raise CohortError(
            f"the cohorts folder {folder} does not exist", "Give a folder of cohort YAML files."
        )
    found: dict[str, Cohort] = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")):
        cohort = parse_cohort(path.read_text("utf-8"), str(path))
        if cohort.name in found:
            raise CohortError(f"{folder}: two files define '{cohort.name}'", "Give each cohort its own name.")
        found[cohort.name] = cohort
    return found


@functools.cache
def builtin_outcomes() -> dict[str, Outcome]:
    """The outcomes followed (src/vrhub/cohorts/outcomes.yaml)."""
    entry = resources.files("vrhub.cohorts").joinpath("outcomes.yaml")
    return parse_outcomes(entry.read_text("utf-8"), "outcomes.yaml")

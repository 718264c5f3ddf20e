"""The measures catalogue: YAML in, validated `Measure`s out. A mistake names the measure and the key."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from vrhub.definitions import get_definition
from vrhub.errors import BadValue, DefinitionError, UnknownMeasure, one_of
from vrhub.warehouse.tables import SCHEMAS

COUNTS = ("offences", "victim_incidents", "records", "indicator")
POPULATIONS = {"all_ages": (0, 200), "under_25": (0, 24), "aged_16_17": (16, 17), "none": None}
POLARITIES = ("lower_is_better", "higher_is_better", "neutral")
# The date each source's events are counted by.
EVENT_DATE = {
    "police_records": "committed_date",
    "police_uk_crimes": "month",
    "ed_attendances": "assault_at",
    "hospital_admissions": "admission_date",
    "ambulance_callouts": "call_at",
    "fire_incidents": "incident_date",
}
# What a measure can be broken down by, and the column its source's records need for it.
BREAKDOWN_COLUMNS = {"age_band": "age", "sex": "sex"}


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    source: str
    count: str
    unit: str
    population: str = "all_ages"
    polarity: str = "lower_is_better"
    baseline: int = 2019
    definition: str | None = None
    where: dict[str, Any] = field(default_factory=dict)
    person: dict[str, Any] = field(default_factory=dict)
    split_by: str | None = None
    value: str = "count"  # count | share (of the period's total across split_by)
    strategy: str | None = None
    # What a reader must know to read the figure right (an ambiguity in the strategy's wording and the
    # reading vrhub takes); every output that shows the measure shows it.
    note: str = ""

    @property
    def definition_version(self) -> str:
        return get_definition(self.definition).label if self.definition else ""

    @property
    def breakdowns(self) -> tuple[str, ...]:
        """The breakdowns the engine gives this measure rows for: those whose column its source's records
        carry. None for a reported indicator (it comes as reported) or a measure split by a column of its
        own (its split is its breakdown; asked for age or sex as well, it gives its split alone)."""
        if self.split_by or self.source not in EVENT_DATE:
            return ()
        columns = SCHEMAS[self.source].names
        return tuple(by for by, column in BREAKDOWN_COLUMNS.items() if column in columns)


@dataclass(frozen=True)
class Catalogue:
    measures: dict[str, Measure]
    sha256: str

    def get(self, measure_id: str) -> Measure:
        if measure_id not in self.measures:
            close = [m for m in self.measures if measure_id.split("_")[0] in m][:8]
            raise UnknownMeasure(
                f"no measure '{measure_id}' in the catalogue",
                f"Known measures include: {', '.join(close or list(self.measures)[:8])}; the catalogue "
                "lists them all.",
                parameter="measure",
                value=measure_id,
            )
        return self.measures[measure_id]

    def breakable(self, by: str) -> list[str]:
        """The measures a breakdown by `by` gives rows for, in catalogue order: what to ask the engine for
        when every measure is wanted by age band or sex (the others would be refused or give none)."""
        if by not in BREAKDOWN_COLUMNS:
            raise BadValue(
                f"cannot break down by '{by}'", one_of(BREAKDOWN_COLUMNS), parameter="by", value=by
            )
        return [m.id for m in self.measures.values() if by in m.breakdowns]


def _check(measure_id: str, spec: dict[str, Any]) -> Measure:
    def bad(
        what: str, hint: str = "See the comments at the top of measures/catalogue.yaml."
    ) -> DefinitionError:
        return DefinitionError(f"measure '{measure_id}': {what}", hint)

    unknown_keys = set(spec) - {f for f in Measure.__dataclass_fields__ if f != "id"}
    if unknown_keys:
        raise bad(f"unknown key(s) {sorted(unknown_keys)}")
    for required in ("title", "source", "count", "unit"):
        if required not in spec:
            raise bad(f"'{required}' is required")
    source = spec["source"]
    if source != "indicators" and source not in EVENT_DATE:
        raise bad(f"unknown source '{source}'", f"Use one of {', '.join([*EVENT_DATE, 'indicators'])}.")
    if spec["count"] not in COUNTS:
        raise bad(f"unknown count '{spec['count']}'", f"Use one of {', '.join(COUNTS)}.")
    if (spec["count"] == "indicator") != (source == "indicators"):
        raise bad("count 'indicator' goes with source 'indicators' and only with it")
    if spec["count"] in ("offences", "victim_incidents") and source != "police_records":
        raise bad(f"count '{spec['count']}' needs source police_records")
    if spec.get("population", "all_ages") not in POPULATIONS:
        raise bad(f"unknown population '{spec['population']}'", f"Use one of {', '.join(POPULATIONS)}.")
    if spec.get("polarity", "lower_is_better") not in POLARITIES:
        raise bad(f"unknown polarity '{spec['polarity']}'", f"Use one of {', '.join(POLARITIES)}.")
    columns = set(SCHEMAS[source].names) if source in SCHEMAS else set()
    for column in [*spec.get("where", {}), *([spec["split_by"]] if spec.get("split_by") else [])]:
        if column not in columns:
            raise bad(f"'{column}' is not a column of {source}", f"Columns: {', '.join(sorted(columns))}.")
    person = spec.get("person") or {}
    if set(person) - {"role", "age_under", "breakdown_by"}:
        raise bad(f"unknown person key(s) {sorted(set(person) - {'role', 'age_under', 'breakdown_by'})}")
    if "breakdown_by" in person:
        # Whose age or sex bands a count of crimes that stands whatever people they record.
        if person["breakdown_by"] not in ("victim", "suspect"):
            raise bad("person.breakdown_by must be victim or suspect")
        if source != "police_records" or spec["count"] != "offences" or set(person) != {"breakdown_by"}:
            raise bad(
                "person.breakdown_by goes alone, with count offences of police_records",
                "A measure counting one role's people is broken down by that role already.",
            )
    elif person and (source != "police_records" or person.get("role") not in ("victim", "suspect")):
        raise bad("person needs source police_records and role victim or suspect")
    if spec["count"] == "victim_incidents" and person.get("role", "victim") != "victim":
        raise bad("victim_incidents counts victims: person.role must be victim")
    if spec.get("definition"):
        definition = get_definition(spec["definition"])
        if definition.applies_to != source:
            raise bad(f"definition '{definition.name}' applies to {definition.applies_to}, not {source}")
    return Measure(id=measure_id, **spec)


def parse_catalogue(text: str, origin: str = "catalogue") -> Catalogue:
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise DefinitionError(
            f"{origin} is not valid YAML: {exc}", "Check the indentation near that line."
        ) from exc
    measures = {mid: _check(mid, dict(spec)) for mid, spec in (doc.get("measures") or {}).items()}
    return Catalogue(measures=measures, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())


@functools.cache
def builtin_catalogue() -> Catalogue:
    text = resources.files("vrhub.measures").joinpath("catalogue.yaml").read_text("utf-8")
    return parse_catalogue(text, "measures/catalogue.yaml")


def load_catalogue(extra: Path | None = None) -> Catalogue:
    """The shipped catalogue, plus a user's own YAML (same format) whose measures add to or replace it."""
    base = builtin_catalogue()
    if extra is None:
        return base
    mine = parse_catalogue(extra.read_text("utf-8"), str(extra))
    combined = hashlib.sha256((base.sha256 + mine.sha256).encode()).hexdigest()
    return Catalogue(measures={**base.measures, **mine.measures}, sha256=combined)

"""The figures the Merseyside VRP strategy publishes, and checks of them: against their own arithmetic,
and against what vrhub computes from record-level data."""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources

from vrhub.measures import periods

# Names the strategy's text uses, mapped to vrhub's codes.
BOROUGHS = {
    "Knowsley": "E08000011",
    "Liverpool": "E08000012",
    "St Helens": "E08000013",
    "Sefton": "E08000014",
    "Wirral": "E08000015",
}
WEAPONS = {
    "fists": "fists",
    "combination of body parts": "body_parts",
    "body parts": "body_parts",
    "not specified": "not_specified",
    "knife": "knife",
    "other bladed/sharp": "other_sharp",
    "other sharp": "other_sharp",
}
OFFENCE_GROUPS = {
    "violence against the person": "violence-against-the-person",
    "miscellaneous crimes against society": "miscellaneous-crimes-against-society",
    "possession of weapons": "possession-of-weapons-offences",
    "sexual offences": "sexual-offences",
}
_CHANGE = re.compile(r"^([+-]\d+)%(?: vs (\d{4}))?$")
_PART = re.compile(r"([A-Za-z/ .]+?) ([+-]\d+)%")


@dataclass(frozen=True)
class Figure:
    table: str
    measure_id: str
    measure: str
    source: str
    population: str
    period: str
    value: float | None
    unit: str
    stated_change: str
    note: str

    @property
    def change(self) -> tuple[int, str] | None:
        """The stated change as (percent, the period it is against)."""
        found = _CHANGE.match(self.stated_change.strip())
        if not found:
            return None
        against = found.group(2) or periods.previous(self.period)
        return int(found.group(1)), against


@functools.cache
def figures() -> tuple[Figure, ...]:
    text = resources.files("vrhub").joinpath("data/strategy_figures.csv").read_text("utf-8")
    return tuple(
        Figure(
            table=r["table"],
            measure_id=r["measure_id"],
            measure=r["measure"],
            source=r["source"],
            population=r["population"],
            period=r["period"],
            value=float(r["value"]) if r["value"] else None,
            unit=r["unit"],
            stated_change=r["stated_change"],
            note=r["note"],
        )
        for r in csv.DictReader(text.splitlines())
    )


def pct(new: float, old: float) -> float | None:
    return None if not old else (new / old - 1) * 100


@dataclass(frozen=True)
class Disagreement:
    measure_id: str
    period: str
    stated: str
    arithmetic: str
    explanation: str


def self_disagreements() -> list[Disagreement]:
    """Where a published change does not follow from the published counts, or cannot follow from its parts."""
    found = []
    by_key = {(f.measure_id, f.period): f for f in figures() if f.value is not None}
    for f in figures():
        change = f.change
        if change is None or f.value is None or (f.measure_id, change[1]) not in by_key:
            continue
        old = by_key[(f.measure_id, change[1])].value
        actual = pct(f.value, old or 0)
        if actual is not None and round(actual) != change[0]:
            found.append(
                Disagreement(
                    f.measure_id,
                    f.period,
                    f.stated_change,
                    f"{actual:+.1f}%",
                    f"{old:,.0f} to {f.value:,.0f} is {actual:+.1f}%, not {change[0]:+d}%.",
                )
            )
        parts = (
            {name.strip(): int(v) for name, v in _PART.findall(f.note.split("boroughs:")[-1])}
            if "boroughs" in f.note
            else {}
        )
        if (
            parts
            and actual is not None
            and not (min(parts.values()) - 0.5 <= actual <= max(parts.values()) + 0.5)
        ):
            found.append(
                Disagreement(
                    f.measure_id,
                    f.period,
                    ", ".join(f"{k} {v:+d}%" for k, v in parts.items()),
                    f"{actual:+.1f}%",
                    f"A total change of {actual:+.1f}% cannot come from borough changes that all lie between "
                    f"{min(parts.values()):+d}% and {max(parts.values()):+d}%.",
                )
            )
        more = re.search(r"'([\d,]+) more offences'", f.note)
        if more and old is not None:
            stated_more = int(more.group(1).replace(",", ""))
            if stated_more != f.value - old:
                found.append(
                    Disagreement(
                        f.measure_id,
                        f.period,
                        f"{stated_more:,} more offences",
                        f"{f.value - old:+,.0f}",
                        f"{old:,.0f} to {f.value:,.0f} is {f.value - old:,.0f} more offences, not "
                        f"{stated_more:,}.",
                    )
                )
    return found + _group_changes_against_total(by_key)


# Table 2's serious-violence total as vrhub reads it: these offence groups, whose changes the text states.
_TABLE2_TOTAL = "local_sv_offences"
_TABLE2_GROUPS = (
    "violence against the person",
    "miscellaneous crimes against society",
    "possession of weapons",
)


def _group_changes_against_total(by_key: dict[tuple[str, str], Figure]) -> list[Disagreement]:
    """The groups make up the total, so its change is theirs weighted by their earlier sizes. Violence against
    the person is most of the three groups in every force (over 90% in England and Wales); when the stated
    changes can give the published total's change only if it is under half of them, they cannot all hold."""
    found = []
    for f in figures():
        parts = {k.lower(): v for k, v in note_parts(f.note.split(";")[0]).items()}
        if not set(_TABLE2_GROUPS) <= set(parts) or f.value is not None:
            continue
        now, before = (
            by_key.get((_TABLE2_TOTAL, f.period)),
            by_key.get((_TABLE2_TOTAL, periods.previous(f.period))),
        )
        if now is None or before is None or not before.value or now.value is None:
            continue
        total = pct(now.value, before.value) or 0.0
        vap = parts[_TABLE2_GROUPS[0]] - 0.5  # the lowest the rounded change allows
        lowest = min(parts[g] for g in _TABLE2_GROUPS[1:]) - 0.5
        # Largest VAP share s with s * vap + (1 - s) * lowest <= total (the rest all in the lowest group).
        share = (total - lowest) / (vap - lowest) if vap > lowest else 1.0
        if share < 0.5:
            found.append(
                Disagreement(
                    f.measure_id,
                    f.period,
                    ", ".join(f"{g} {parts[g]:+d}%" for g in _TABLE2_GROUPS),
                    f"{total:+.1f}%",
                    f"Counted as these offence groups (measure {_TABLE2_TOTAL}), {before.value:,.0f} to "
                    f"{now.value:,.0f} is {total:+.1f}%: with the stated group changes, violence against the "
                    f"person could be at most {share:.0%} of the total, where it is most of it; the group "
                    "changes fit the stated +15%, not the published count.",
                )
            )
    return found


def note_parts(note: str) -> dict[str, int]:
    """`Knowsley +5%, Liverpool +13%` -> {'Knowsley': 5, 'Liverpool': 13}."""
    return {name.strip().rstrip(":").strip(): int(v) for name, v in _PART.findall(note)}

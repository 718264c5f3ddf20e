"""The report's opening: what changed in the latest year and whether chance explains it, in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vrhub.measures import Catalogue
from vrhub.measures.catalogue import Measure
from vrhub.quality.recording import RecordingChange, caveat, touching
from vrhub.reports.comparisons import Comparison, Rows, compared
from vrhub.stats.change import SMALL_COUNT
from vrhub.stats.wording import describe_change


@dataclass(frozen=True)
class Sentence:
    measure_id: str
    title: str
    text: str
    significant: bool
    small: bool
    recording_change: bool = False  # a recording change may explain it (the verdict says so)


def latest_changes(
    rows: Rows,
    catalogue: Catalogue,
    measure_ids: list[str],
    year: str,
    changes: list[RecordingChange] | None = None,
) -> list[Sentence]:
    """One sentence per measure on `year` against the year before, as the engine compared them (like for like
    where the two hold different calendar months), with any recording change between them in place of the
    verdict."""
    before = str(int(year) - 1)
    found = []
    for measure_id in measure_ids:
        now, then = rows.get((measure_id, year)), rows.get((measure_id, before))
        if now is None or (then is None and not compared(now, before).blank):
            continue
        measure = catalogue.get(measure_id)
        change = compared(now, before)
        why = caveat(touching(changes or [], measure, before, year))
        significant = change.p_value is not None and change.p_value < 0.05 and not change.blank
        text = describe_change(
            now["value"],
            then["value"] if then is not None else None,
            before,
            change.stats,
            polarity=measure.polarity,
            unit=measure.unit,
            caveat=why,
            like_for_like=change.like_for_like,
            not_compared=change.blank,
        )
        found.append(
            Sentence(
                measure_id, measure.title, text, significant, change.small, why is not None and significant
            )
        )
    # Significant changes first: those are what a steering group must hear.
    return sorted(found, key=lambda s: (not s.significant, s.small))


@dataclass(frozen=True)
class KeyMessages:
    """The report's first page in a few sentences: the largest changes on the baseline that chance alone
    would not give, a count of the rest, and the caveats those sentences lean on."""

    sentences: list[str]
    caveats: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.sentences + self.caveats)


def key_messages(
    rows: Rows,
    catalogue: Catalogue,
    measure_ids: list[str],
    year: str,
    changes: list[RecordingChange] | None = None,
    most: int = 3,
) -> KeyMessages:
    """The `most` largest changes of `year` on each measure's baseline year that are larger than chance alone
    would give, as the engine compared them (like for like where the two years hold different calendar
    months; counts under 10 left out as too few to read), each in plain words with its verdict, then how
    many measures moved and the caveats."""
    chosen: list[tuple[Measure, str, Mapping[str, Any], Comparison]] = []
    apart = []  # measures the engine could not compare with their baseline, and why
    for measure_id in measure_ids:
        measure = catalogue.get(measure_id)
        base = str(measure.baseline)
        now, then = rows.get((measure_id, year)), rows.get((measure_id, base))
        if base == year or now is None or measure.unit == "percent":
            continue
        change = compared(now, base, baseline=True)
        if change.blank:
            apart.append(f"{measure.title} cannot be compared with the {base} baseline: {change.blank}.")
        elif then is not None:
            chosen.append((measure, base, now, change))
    if not chosen and not apart:
        if all(str(catalogue.get(m).baseline) >= year for m in measure_ids):
            return KeyMessages([f"There is no year after the baseline to compare {year} with yet."], [])
        # A later year whose measures' data are not loaded: not a year too early to compare.
        return KeyMessages(
            [f"No strategy measure has figures for both {year} and its baseline year: nothing to compare."],
            [],
        )
    moved = []
    for measure, base, now, change in chosen:
        if change.p_value is None or change.p_value >= 0.05 or change.small:
            continue
        why = caveat(touching(changes or [], measure, base, year))
        moved.append((measure, base, now, change, why))
    # Changes on the ground lead; those a recording change may explain follow, largest first within each.
    moved.sort(key=lambda m: (bool(m[4]), -abs(m[3].pct or 0.0)))
    sentences = []
    for measure, base, now, change, why in moved[:most]:
        then = rows[(measure.id, base)]
        clause = describe_change(
            now["value"],
            then["value"],
            f"the {base} baseline",
            change.stats,
            polarity=measure.polarity,
            unit=measure.unit,
            caveat=why,
            like_for_like=change.like_for_like,
        )
        sentences.append(f"{measure.title} {clause}.")
    better = sum(1 for m in moved if _better(m[0].polarity, m[3].pct) is True and not m[4])
    worse = sum(1 for m in moved if _better(m[0].polarity, m[3].pct) is False and not m[4])
    recorded = sum(1 for m in moved if m[4])
    other = len(moved) - better - worse - recorded  # a neutral measure's change
    within = len(chosen) - len(moved)
    if moved:
        parts_said = [f"{better} improved and {worse} worsened by more than chance alone would give"]
        if other:
            parts_said.append(f"{other} changed by more than chance (neither better nor worse)")
        if recorded:
            parts_said.append(f"{recorded} changed where a recording change may explain it")
        sentences.append(
            f"Of {len(chosen)} measure{'s' if len(chosen) != 1 else ''} compared with their baseline, "
            + ", ".join(parts_said)
            + f"; {within} moved no more than chance would, or count too few to tell."
        )
    elif chosen:
        sentences.append(
            f"None of the {len(chosen)} measures compared with their baseline moved by more than chance "
            "alone would give."
        )
    notes = [
        f"Counts under {SMALL_COUNT} are not read as a trend, and a change is called larger than chance "
        "where p < 0.05 (exact test for two Poisson counts)."
    ]
    like = sorted({(year, c.against, c.like_for_like) for _, _, _, c in chosen if c.like_for_like})
    if like:
        notes.append(
            "Where two years hold different months of data, the change compares the calendar months both "
            "hold, like for like, never the totals: "
            + "; ".join(f"{now} against {then} on {on}" for now, then, on in like)
            + "."
        )
    notes += apart
    if any(m[4] for m in moved):
        notes.append(
            "A change marked as a possible recording artefact may come from how the data were recorded, "
            "not a change on the ground (see the data-quality findings)."
        )
    return KeyMessages(sentences, notes)


def _better(polarity: str, pct: float | None) -> bool | None:
    if polarity == "neutral" or not pct:
        return None
    return (pct > 0) == (polarity == "higher_is_better")

"""The report's opening: what changed in the latest year and whether chance explains it, in words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vrhub.config import FORCE_CODE
from vrhub.measures import Catalogue
from vrhub.quality.recording import RecordingChange, caveat, touching
from vrhub.reports import parts
from vrhub.reports.reproduction import Values
from vrhub.stats.change import SMALL_COUNT, change_statistics
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
    values: Values,
    catalogue: Catalogue,
    measure_ids: list[str],
    year: str,
    partial: parts.Partial | None = None,
    changes: list[RecordingChange] | None = None,
) -> list[Sentence]:
    """One sentence per measure on `year` against the year before: per month of data where either is a part
    year, and with any recording change between the two years in place of the verdict."""
    before = str(int(year) - 1)
    rows = []
    for measure_id in measure_ids:
        now = values.get((measure_id, year, FORCE_CODE, ""))
        then = values.get((measure_id, before, FORCE_CODE, ""))
        if now is None or then is None:
            continue
        source = catalogue.get(measure_id).source
        rows.append(
            (
                measure_id,
                now,
                then,
                parts.months(partial, source, year),
                parts.months(partial, source, before),
            )
        )
    if not rows:
        return []
    # Months of data as the exposure: the rate per month is compared, so a part year is like for like.
    stats = change_statistics(
        pd.Series([r[1] for r in rows]),
        pd.Series([r[2] for r in rows]),
        [r[3] or 12 for r in rows],
        [r[4] or 12 for r in rows],
    )
    found = []
    for (measure_id, now, then, m_now, m_then), (_, row) in zip(rows, stats.iterrows(), strict=True):
        measure = catalogue.get(measure_id)
        why = caveat(touching(changes or [], measure, before, year))
        text = describe_change(
            now,
            then,
            before,
            row,
            polarity=measure.polarity,
            unit=measure.unit,
            months=(m_now, m_then),
            caveat=why,
        )
        found.append(
            Sentence(
                measure_id,
                measure.title,
                text,
                bool(row["p_value"] < 0.05),
                bool(row["small_count"]),
                why is not None and bool(row["p_value"] < 0.05),
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
    values: Values,
    catalogue: Catalogue,
    measure_ids: list[str],
    year: str,
    partial: parts.Partial | None = None,
    changes: list[RecordingChange] | None = None,
    most: int = 3,
) -> KeyMessages:
    """The `most` largest changes of `year` on each measure's baseline year that are larger than chance alone
    would give (per month of data where either is a part year; counts under 10 left out as too few to read),
    each in plain words with its verdict, then how many measures moved and the caveats."""
    rows = []
    for measure_id in measure_ids:
        measure = catalogue.get(measure_id)
        base = str(measure.baseline)
        now = values.get((measure_id, year, FORCE_CODE, ""))
        then = values.get((measure_id, base, FORCE_CODE, ""))
        if base == year or now is None or then is None or measure.unit == "percent":
            continue
        rows.append(
            (
                measure,
                base,
                now,
                then,
                parts.months(partial, measure.source, year),
                parts.months(partial, measure.source, base),
            )
        )
    if not rows:
        if all(str(catalogue.get(m).baseline) >= year for m in measure_ids):
            return KeyMessages([f"There is no year after the baseline to compare {year} with yet."], [])
        # A later year whose measures' data are not loaded: not a year too early to compare.
        return KeyMessages(
            [f"No strategy measure has figures for both {year} and its baseline year: nothing to compare."],
            [],
        )
    stats = change_statistics(
        pd.Series([r[2] for r in rows], dtype="float64"),
        pd.Series([r[3] for r in rows], dtype="float64"),
        [r[4] or 12 for r in rows],
        [r[5] or 12 for r in rows],
    )
    moved = []
    for row, (_, stat) in zip(rows, stats.iterrows(), strict=True):
        measure, base, now, then, m_now, m_then = row
        p_value = stat["p_value"]
        if pd.isna(p_value) or p_value >= 0.05 or bool(stat["small_count"]):
            continue
        # The change per month of data, as the sentence gives it, orders the list.
        pct = parts.per_month_change(now, then, m_now, m_then)
        why = caveat(touching(changes or [], measure, base, year))
        moved.append((abs(pct or 0.0), measure, base, now, then, m_now, m_then, stat, why, pct))
    # Changes on the ground lead; those a recording change may explain follow, largest first within each.
    moved.sort(key=lambda m: (bool(m[8]), -m[0]))
    sentences = []
    for _, measure, base, now, then, m_now, m_then, stat, why, _pct in moved[:most]:
        clause = describe_change(
            now,
            then,
            f"the {base} baseline",
            stat,
            polarity=measure.polarity,
            unit=measure.unit,
            months=(m_now, m_then),
            caveat=why,
        )
        sentences.append(f"{measure.title} {clause}.")
    better = sum(1 for m in moved if _better(m[1].polarity, m[9]) is True and not m[8])
    worse = sum(1 for m in moved if _better(m[1].polarity, m[9]) is False and not m[8])
    recorded = sum(1 for m in moved if m[8])
    other = len(moved) - better - worse - recorded  # a neutral measure's change
    within = len(rows) - len(moved)
    if moved:
        parts_said = [f"{better} improved and {worse} worsened by more than chance alone would give"]
        if other:
            parts_said.append(f"{other} changed by more than chance (neither better nor worse)")
        if recorded:
            parts_said.append(f"{recorded} changed where a recording change may explain it")
        sentences.append(
            f"Of {len(rows)} measure{'s' if len(rows) != 1 else ''} compared with their baseline, "
            + ", ".join(parts_said)
            + f"; {within} moved no more than chance would, or count too few to tell."
        )
    else:
        sentences.append(
            f"None of the {len(rows)} measures compared with their baseline moved by more than chance alone "
            "would give."
        )
    notes = [
        f"Counts under {SMALL_COUNT} are not read as a trend, and a change is called larger than chance "
        "where p < 0.05 (exact test for two Poisson counts)."
    ]
    found = partial or {}
    part = sorted(
        {
            (r[0].source, p, found[r[0].source][p])
            for r in rows
            for p in (year, r[1])
            if p in found.get(r[0].source, {})
        }
    )
    if part:
        notes.append(
            "A part year is compared per month of data, never by its total: "
            + "; ".join(f"{p} holds {m} months of {src.replace('_', ' ')} data" for src, p, m in part)
            + "."
        )
    if any(m[8] for m in moved):
        notes.append(
            "A change marked as a possible recording artefact may come from how the data were recorded, "
            "not a change on the ground (see the data-quality findings)."
        )
    return KeyMessages(sentences, notes)


def _better(polarity: str, pct: float | None) -> bool | None:
    if polarity == "neutral" or not pct:
        return None
    return (pct > 0) == (polarity == "higher_is_better")

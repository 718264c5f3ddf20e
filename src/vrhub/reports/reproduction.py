"""Does vrhub, from record-level data, give every figure the strategy publishes? One `Check` per figure,
stated change, and part of a figure's note (a borough's change, a weapon's share, an offence group)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vrhub.config import FORCE_CODE
from vrhub.reports.comparisons import Rows, compared
from vrhub.reports.published import (
    BOROUGHS,
    OFFENCE_GROUPS,
    WEAPONS,
    Figure,
    figures,
    note_parts,
    pct,
    self_disagreements,
)

Values = dict[tuple[str, str, str, str], float]  # (measure_id, period, area_code, breakdown) -> value


@dataclass(frozen=True)
class Check:
    measure_id: str
    period: str
    what: str
    published: str
    computed: str
    ok: bool
    # The published figures contradict each other here, so no data can reproduce all of them.
    self_contradictory: bool = False
    # Why the figure, though reproduced, is not one to quote (a change against a part year), and the
    # like-for-like figure instead.
    note: str = ""


def index(rows: list[dict]) -> Values:
    return {(r["measure_id"], r["period"], r["area_code"], r["breakdown"] or ""): r["value"] for r in rows}


def _change(
    values: Values, measure: str, period: str, against: str, area: str = FORCE_CODE, breakdown: str = ""
) -> float | None:
    new, old = values.get((measure, period, area, breakdown)), values.get((measure, against, area, breakdown))
    return None if new is None or old is None else pct(new, old)


def _fmt(change: float | None) -> str:
    return "n/a" if change is None else f"{change:+.1f}%"


def _part_year_note(
    f: Figure, against: str, partial: dict[str, dict[str, int]] | None, rows: Rows | None
) -> tuple[str, str]:
    """For a change against a part year: the label saying so, and beside it the change vrhub gives (the
    engine's, over the calendar months both years hold). The strategy's figure is reproduced as published;
    it compares unlike periods, so is not to be quoted."""
    from vrhub.measures.catalogue import builtin_catalogue
    from vrhub.reports import parts
    from vrhub.stats.wording import format_change

    catalogue = builtin_catalogue()
    if f.measure_id not in catalogue.measures:
        return f"change vs {against}", ""
    source = catalogue.get(f.measure_id).source
    m_then, m_now = parts.months(partial, source, against), parts.months(partial, source, f.period)
    if m_then is None or m_now is None or m_then == m_now:
        return f"change vs {against}", ""
    what = f"change vs {parts.label(against, m_then)}"
    row = (rows or {}).get((f.measure_id, f.period))
    if row is None:
        return what, "Not like for like"
    found = compared(row, against)
    if found.like_for_like and found.pct is not None:
        return what, f"Not like for like; like for like ({found.like_for_like}): {format_change(found.pct)}"
    if found.blank:
        return what, f"Not like for like; no like-for-like change: {found.blank}"
    return what, "Not like for like"


def checks(
    values: Values, partial: dict[str, dict[str, int]] | None = None, rows: Rows | None = None
) -> list[Check]:
    """Every figure the strategy publishes against vrhub's; `rows`, the engine's force-wide rows
    (`comparisons.force_rows`), give the like-for-like change beside a change against a part year."""
    contradicted = {(d.measure_id, d.period) for d in self_disagreements()}
    found: list[Check] = []
    for f in figures():
        bad = (f.measure_id, f.period) in contradicted
        if f.value is not None:
            got = values.get((f.measure_id, f.period, FORCE_CODE, ""))
            found.append(
                Check(
                    f.measure_id,
                    f.period,
                    "count",
                    f"{f.value:,.10g}",
                    "missing" if got is None else f"{got:,.10g}",
                    got == f.value,
                )
            )
        if f.change:
            stated, against = f.change
            got = _change(values, f.measure_id, f.period, against)
            what, note = _part_year_note(f, against, partial, rows)
            found.append(
                Check(
                    f.measure_id,
                    f.period,
                    what,
                    f.stated_change,
                    _fmt(got),
                    got is not None and round(got) == stated,
                    bad,
                    note,
                )
            )
        found += _note_checks(f, values, bad)
    return found


def _note_checks(f: Figure, values: Values, contradictory: bool) -> list[Check]:
    found = []
    parts = note_parts(f.note.split("boroughs")[-1]) if "borough" in f.note else {}
    for name, stated in parts.items():
        code = BOROUGHS.get(name.replace("St. Helens", "St Helens"))
        if code:
            got = _change(values, f.measure_id, f.period, str(int(f.period) - 1), area=code)
            found.append(
                Check(
                    f.measure_id,
                    f.period,
                    f"{name} change",
                    f"{stated:+d}%",
                    _fmt(got),
                    got is not None and round(got) == stated,
                    contradictory,
                )
            )
    if f.measure_id == "ed_weapon_share_2020":
        for name, share in re.findall(r"([a-z /]+?) (\d+)%", f.note):
            method = WEAPONS[name.strip()]
            got = values.get((f.measure_id, f.period, FORCE_CODE, f"assault_method={method}"))
            found.append(
                Check(
                    f.measure_id,
                    f.period,
                    f"{name.strip()} share",
                    f"{share}%",
                    "missing" if got is None else f"{got:.1f}%",
                    got is not None and round(got) == int(share),
                )
            )
    if f.measure_id == "ed_weapon_change_2021":
        for name, stated in note_parts(f.note.split("(")[0]).items():
            method = WEAPONS[name.strip()]
            got = _change(values, f.measure_id, f.period, "2020", breakdown=f"assault_method={method}")
            found.append(
                Check(
                    f.measure_id,
                    f.period,
                    f"{name} change",
                    f"{stated:+d}%",
                    _fmt(got),
                    got is not None and round(got) == stated,
                )
            )
    if f.measure_id == "police_group_change_2021":
        for name, stated in note_parts(f.note.split(";")[0]).items():
            name = name.strip()
            if name.lower() == "possession of an article with a blade":
                got = _change(values, "local_knife_sv", f.period, "2020")
            else:
                group = OFFENCE_GROUPS[name.lower()]
                got = _change(values, f.measure_id, f.period, "2020", breakdown=f"offence_group={group}")
            found.append(
                Check(
                    f.measure_id,
                    f.period,
                    f"{name} change",
                    f"{stated:+d}%",
                    _fmt(got),
                    got is not None and round(got) == stated,
                    contradictory,
                )
            )
        sexual = re.search(r"(\d+) sexual offences recorded in (\d{4})", f.note)
        if sexual:
            key = (f.measure_id, sexual.group(2), FORCE_CODE, "offence_group=sexual-offences")
            got = values.get(key)
            found.append(
                Check(
                    f.measure_id,
                    sexual.group(2),
                    "sexual offences",
                    sexual.group(1),
                    "missing" if got is None else f"{got:.0f}",
                    got == int(sexual.group(1)),
                )
            )
    return found

"""The overview's lead table: every measure on one row, read at a glance.

Built from the summary rows (`tables.summary_rows`, the engine's figures with its like-for-like change and
its significance) and the cached monthly and yearly frames: nothing here queries the warehouse. The
sparkline is drawn on the server as inline SVG (no script, so it shows under the site's CSP and in a
printout) with its figures in words beside it for screen readers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from vrhub.measures import periods
from vrhub.stats.wording import BETTER, RECORDING, TOO_FEW, WORSE, verdict
from vrhub.web.dashboard.tables import clean
from vrhub.web.dashboard.templatetags.dashboard_format import figure

WIDTH, HEIGHT, PAD = 120, 28, 3
VERDICT_TAGS = {
    BETTER: "govuk-tag--green",
    WORSE: "govuk-tag--red",
    TOO_FEW: "govuk-tag--yellow",
    RECORDING: "govuk-tag--orange",
}


def series(
    monthly: pd.DataFrame, annual: pd.DataFrame, area: str, partial: dict[str, dict[str, int]], sources: dict
) -> dict[str, list[tuple[str, float]]]:
    """Each measure's whole-population figures for `area`, oldest first: by month where the engine counts
    months, else by its own period with part periods left out (a part year's total is not comparable)."""
    found: dict[str, list[tuple[str, float]]] = {}
    for frame, by_month in ((monthly, True), (annual, False)):
        rows = frame[(frame["area_code"] == area) & (frame["breakdown"].fillna("") == "")]
        # A published '*' is a gap in the line, not a point.
        rows = rows.assign(value=pd.to_numeric(rows["value"], errors="coerce"))
        rows = rows[rows["value"].notna()]
        labels = rows["period"].astype(str)
        if by_month:
            rows = rows[labels.map(periods.kind_of) == "month"]
        for measure_id, group in rows.groupby("measure_id", sort=False):
            if measure_id in found:
                continue
            part = partial.get(sources.get(measure_id, ""), {})
            points = [
                (str(p), float(v))
                for p, v in zip(group["period"].astype(str), group["value"], strict=True)
                if by_month or str(p) not in part
            ]
            if len(points) >= 2 or not by_month:
                found[str(measure_id)] = sorted(points, key=_order)
    return found


def _order(point: tuple[str, float]) -> tuple[int, str]:
    label = point[0]
    return (periods.year_of(label), label) if periods.kind_of(label) else (0, label)


def _month_words(label: str) -> str:
    if periods.kind_of(label) == "month":
        return pd.Period(label, "M").strftime("%b %Y")
    return label


def describe(points: list[tuple[str, float]], unit: str = "") -> str:
    """The sparkline in words: its span, its lowest and highest points and the latest."""
    if not points:
        return "No figures to draw."
    kind = "Monthly" if periods.kind_of(points[0][0]) == "month" else "Yearly"
    low = min(points, key=lambda p: p[1])
    high = max(points, key=lambda p: p[1])
    last = points[-1]

    def say(point: tuple[str, float]) -> str:
        return f"{figure(point[1], unit)} ({_month_words(point[0])})"

    return (
        f"{kind} figures, {_month_words(points[0][0])} to {_month_words(last[0])}: lowest {say(low)}, "
        f"highest {say(high)}, latest {say(last)}."
    )


def sparkline(points: list[tuple[str, float]], unit: str = "") -> SafeString:
    """A small line of the figures as inline SVG, with the same figures in words as its accessible name."""
    text = describe(points, unit)
    if len(points) < 2:
        return mark_safe(f'<span class="govuk-body-s">{escape(text)}</span>')
    values = [v for _, v in points]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / (len(values) - 1)
    xy = [
        (PAD + i * step, HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD) if high > low else HEIGHT / 2)
        for i, v in enumerate(values)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    x, y = xy[-1]
    return mark_safe(
        f'<svg class="vrhub-sparkline" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(text)}" focusable="false"><title>{escape(text)}</title>'
        f'<polyline fill="none" stroke="#1d70b8" stroke-width="1.5" points="{line}"/>'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#0b0c0c"/></svg>'
    )


def against(row: dict[str, Any]) -> str:
    """Which comparison the verdict reads: the baseline where there is one, else the period before."""
    # No baseline sentence: the latest period is the baseline year itself.
    return "baseline" if row.get("baseline_sentence") and row.get("baseline") is not None else "previous"


def row_verdict(row: dict[str, Any]) -> str:
    """The row's verdict, against the baseline (the strategy's yardstick) or else the period before."""
    if row.get("value") is None:
        return ""
    if against(row) == "baseline":
        return verdict(
            row.get("change_vs_baseline_pct"),
            row.get("baseline_p_value"),
            row.get("polarity") or "lower_is_better",
            small=bool(row.get("baseline_small_count")),
            recording=bool(row.get("recording_baseline")),
        )
    return verdict(
        row.get("change_vs_previous_pct"),
        row.get("p_value"),
        row.get("polarity") or "lower_is_better",
        small=bool(row.get("small_count")),
        recording=bool(row.get("recording_previous")),
    )


def rows(summary: list[dict[str, Any]], lines: dict[str, list[tuple[str, float]]]) -> list[dict[str, Any]]:
    """The summary rows with a verdict, its tag colour and the sparkline: rows without a figure left out."""
    out = []
    for row in summary:
        if row.get("value") is None:
            continue
        word = row_verdict(row)
        out.append(
            {
                **row,
                "value": clean(row["value"]),
                "verdict": word,
                "verdict_against": against(row),
                "verdict_tag": VERDICT_TAGS.get(word, "govuk-tag--grey"),
                "sparkline": sparkline(lines.get(row["measure_id"], []), row.get("unit") or ""),
            }
        )
    return out

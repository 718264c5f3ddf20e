"""Plain-English sentences about a change, written from the statistics in `vrhub.analysis.change`.

Every figure in a sentence comes from the arguments; nothing is typed in by hand. Sentences start in lower
case so the caller can put the measure in front: "Homicides " + describe_change(...).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast

# Below this a p-value is shown as "p < 0.001": more digits claim a precision the data do not have.
SMALLEST_P = 0.001


def describe_change(
    current: float | None,
    previous: float | None,
    previous_label: str,
    stats_row: Mapping[str, Any],
    polarity: str = "lower_is_better",
    unit: str | None = None,
    alpha: float = 0.05,
) -> str:
    """One clause saying how a figure moved since an earlier period and whether chance explains it.

    Args:
        current: The figure for the period being described.
        previous: The figure for the earlier period.
        previous_label: The earlier period as readers know it, e.g. "2020" or "2019/20".
        stats_row: That pair's row from `change_statistics` (a dict or a DataFrame row), read for
            ``pct_change``, ``p_value`` and ``small_count``.
        polarity: ``lower_is_better``, ``higher_is_better`` or ``neutral``: whether a change that chance
            does not explain is called an improvement or a worsening.
        unit: The figure's unit. ``"percent"`` shows values with % and the change in percentage points;
            any other unit is named only when the figure is unchanged.
        alpha: The p-value below which a change is called larger than chance alone would give.

    Returns:
        A clause such as "rose from 13 in 2020 to 19 (+46%), within the range chance alone would give
        (p = 0.38)" or "fell from 2,484 in 2020 to 2,260 (-9%), a fall larger than chance alone would give
        (p = 0.001), an improvement".

    Raises:
        ValueError: If ``polarity`` is not one of the three above.
    """
    if polarity not in ("lower_is_better", "higher_is_better", "neutral"):
        raise ValueError(f"unknown polarity '{polarity}'")
    percent = unit == "percent"
    if _missing(current) or _missing(previous):
        return f"cannot be compared with {previous_label}: a figure is missing"
    current, previous = cast(float, current), cast(float, previous)  # neither is missing now
    if current == previous:
        named = "" if percent or not unit else f" {unit}"
        return f"unchanged at {_figure(current, percent)}{named}, the same as in {previous_label}"

    rose = current > previous
    clause = (
        f"{'rose' if rose else 'fell'} from {_figure(previous, percent)} in {previous_label} to "
        f"{_figure(current, percent)}"
    )
    if percent:
        clause += f" ({_signed(current - previous)} percentage points)"
    elif previous != 0 and not _missing(stats_row.get("pct_change")):
        clause += f" ({_percent(stats_row['pct_change'])})"

    if bool(stats_row.get("small_count")):
        return clause + ", too few to read as a trend"
    if _missing(stats_row.get("p_value")):
        return clause
    p_value = float(stats_row["p_value"])
    if p_value < alpha:
        noun = "rise" if rose else "fall"
        clause += f", a {noun} larger than chance alone would give ({_p(p_value, alpha)})"
        if polarity != "neutral":
            better = rose == (polarity == "higher_is_better")
            clause += ", an improvement" if better else ", a worsening"
        return clause
    return clause + f", within the range chance alone would give ({_p(p_value, alpha)})"


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def _figure(value: float, percent: bool = False) -> str:
    """Thousands separators; a whole number without decimals, anything else to one decimal place."""
    value = float(value)
    text = f"{int(value):,}" if value.is_integer() else f"{value:,.1f}"
    return text + "%" if percent else text


def _signed(value: float) -> str:
    text = _figure(abs(value))
    return ("+" if value > 0 else "-") + text


def _round_half_up(value: float) -> int:
    # Python's round() sends 2.5 to 2; readers expect 3.
    return int(math.floor(abs(value) + 0.5)) * (1 if value >= 0 else -1)


def _percent(pct: float) -> str:
    whole = _round_half_up(float(pct))
    if whole == 0:
        # The counts differ, so "+0%" would read as no change at all.
        return "up less than 1%" if pct > 0 else "down less than 1%"
    return f"{'+' if whole > 0 else '-'}{abs(whole):,}%"


def _p(p_value: float, alpha: float) -> str:
    if p_value < SMALLEST_P:
        return f"p < {SMALLEST_P:g}"
    text = f"{p_value:.2f}" if p_value >= 0.01 else f"{p_value:.3f}"
    # Rounding must not carry a significant p up to the threshold itself (0.049 shown as 0.05).
    if p_value < alpha <= float(text):
        return f"p < {alpha:g}"
    return f"p = {text}"

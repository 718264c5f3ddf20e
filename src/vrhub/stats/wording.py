"""Plain-English sentences about a change, written from the statistics in `vrhub.stats.change`.

Every figure in a sentence comes from the arguments; nothing is typed in by hand. Sentences start in lower
case so the caller can put the measure in front: "Homicides " + describe_change(...).

`format_change` and `format_p` are the one way a change and a p-value are written, in sentences and tables
alike (the dashboard's filters and the report's cells call them), so a table never shows +27% beside a
sentence saying +26%.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast

# Below this a p-value is shown as "p < 0.001": more digits claim a precision the data do not have.
SMALLEST_P = 0.001
# Wheeler's Poisson z is read against this when many series are watched at once.
WHEELER_THRESHOLD = 3
WHEELER_NOTE = (
    f"Wheeler z = 2(\u221acurrent \u2212 \u221aprevious); a change is worth a look when |z| \u2265 "
    f"{WHEELER_THRESHOLD} (marked *)"
)


def describe_change(
    current: float | None,
    previous: float | None,
    previous_label: str,
    stats_row: Mapping[str, Any],
    polarity: str = "lower_is_better",
    unit: str | None = None,
    alpha: float = 0.05,
    caveat: str | None = None,
    like_for_like: str | None = None,
    not_compared: str | None = None,
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
        caveat: What may explain the change other than a change on the ground (a recording change the
            quality checks found in the data the measure counts). A change larger than chance is then said
            to be possibly a recording artefact instead of an improvement or a worsening.
        like_for_like: The calendar months the change compares where the periods hold different ones
            (the measures engine's note, "Apr-Dec of both, 9 months"); ``stats_row`` is then that
            like-for-like comparison, and the clause gives the current total and the change so compared.
        not_compared: Why the change cannot be given (the engine's note: no calendar month in common).

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
    if not_compared:
        return f"cannot be compared with {previous_label}: {not_compared}"
    current, previous = cast(float, current), cast(float, previous)  # neither is missing now
    if like_for_like and not percent:
        clause, rose = _like_for_like_clause(
            current, previous_label, like_for_like, stats_row.get("pct_change")
        )
        if clause is None:
            return f"was {_figure(current)}, unchanged like for like ({like_for_like}) on {previous_label}"
    else:
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
            clause += f" ({format_change(stats_row['pct_change'])})"

    if bool(stats_row.get("small_count")):
        return clause + ", too few to read as a trend"
    if _missing(stats_row.get("p_value")):
        return clause
    p_value = float(stats_row["p_value"])
    if p_value < alpha:
        noun = "rise" if rose else "fall"
        clause += f", a {noun} larger than chance alone would give ({format_p(p_value, alpha)})"
        verdict = ""
        if polarity != "neutral":
            better = rose == (polarity == "higher_is_better")
            verdict = "an improvement" if better else "a worsening"
        if caveat:
            instead = f" rather than {verdict}" if verdict else ""
            return clause + f", which may be a recording artefact{instead}: {caveat}"
        return clause + (f", {verdict}" if verdict else "")
    return clause + f", within the range chance alone would give ({format_p(p_value, alpha)})"


def _like_for_like_clause(current: float, label: str, on: str, pct: Any) -> tuple[str | None, bool]:
    """The change over the months both periods hold: the totals (a 9-month year and a 12-month one) are
    not compared, so only the current one is given."""
    if _missing(pct):  # none in those months of the earlier period: no percentage of 0
        return f"was {_figure(current)}; like for like ({on}) on {label} it rose from none", True
    pct = float(pct)
    if pct == 0:
        return None, False
    whole = abs(whole_percent(pct))
    size = f"{whole:,}%" if whole else "less than 1%"
    rose = pct > 0
    return (
        f"was {_figure(current)}; like for like ({on}) on {label} it {'rose' if rose else 'fell'} {size}",
        rose,
    )


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


def whole_percent(pct: float) -> int:
    """A percent change as the whole number every output shows, rounded once, half up, from the unrounded
    change. Never from a figure already rounded to 0.1 (the engine's ``change_vs_previous_pct``): 26.46
    rounds to 26, but its 26.5 would give 27; so every display computes the change from the figures."""
    return _round_half_up(float(pct))


def format_change(pct: Any) -> str:
    """A percent change as every table and sentence writes it: +27%, -3%, up less than 1%; blank if none."""
    if _missing(pct):
        return ""
    pct = float(pct)
    whole = whole_percent(pct)
    if whole == 0:
        if pct == 0:
            return "0%"
        # The figures differ, so "+0%" would read as no change at all.
        return "up less than 1%" if pct > 0 else "down less than 1%"
    return f"{'+' if whole > 0 else '-'}{abs(whole):,}%"


def change_words(pct: Any, against: str) -> str:
    """The strategy's own style, "27% increase from 2020", rounded as `format_change` rounds."""
    if _missing(pct):
        return ""
    whole = whole_percent(float(pct))
    if whole == 0:
        return f"no change from {against}" if float(pct) == 0 else f"{format_change(pct)} from {against}"
    return f"{abs(whole):,}% {'increase' if whole > 0 else 'reduction'} from {against}"


def format_p(p_value: Any, alpha: float = 0.05) -> str:
    """A p-value as every table and sentence writes it: p = 0.64, p = 0.007, p < 0.001; blank if none."""
    if _missing(p_value):
        return ""
    p_value = float(p_value)
    if p_value < SMALLEST_P:
        return f"p < {SMALLEST_P:g}"
    text = f"{p_value:.2f}" if p_value >= 0.01 else f"{p_value:.3f}"
    # Rounding must not carry a significant p up to the threshold itself (0.049 shown as 0.05).
    if p_value < alpha <= float(text):
        return f"p < {alpha:g}"
    return f"p = {text}"


def format_wheeler(z: Any) -> str:
    """Wheeler's z to one decimal place, starred where it reaches the threshold (|z| >= 3)."""
    if _missing(z):
        return ""
    z = float(z)
    return f"{z:+.1f}" + (" *" if abs(z) >= WHEELER_THRESHOLD else "")


# A verdict in one word or three, for a table read at a glance: the same rule as `describe_change`'s clause.
BETTER, WORSE, NO_CHANGE = "better", "worse", "no significant change"
TOO_FEW, RECORDING = "too few to tell", "may be a recording change"
CHANGED, NOT_TESTED = "changed", "not tested"


def verdict(
    pct: Any,
    p_value: Any,
    polarity: str = "lower_is_better",
    small: bool = False,
    recording: bool = False,
    alpha: float = 0.05,
) -> str:
    """Better, worse or no significant change, by the measure's polarity, from a change and its p-value.

    As `describe_change` words it: counts too small to read as a trend are "too few to tell" whatever the p;
    a change larger than chance where a recording change falls between the periods "may be a recording
    change"; a neutral measure's significant change is only "changed"; no p-value (a share, or nothing to
    compare with) is "not tested".
    """
    if _missing(pct) or _missing(p_value):
        return NOT_TESTED
    if small:
        return TOO_FEW
    if float(p_value) >= alpha or float(pct) == 0:
        return NO_CHANGE
    if recording:
        return RECORDING
    if polarity == "neutral":
        return CHANGED
    rose = float(pct) > 0
    return BETTER if rose == (polarity == "higher_is_better") else WORSE

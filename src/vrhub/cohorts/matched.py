"""How many of a cohort's members were matched to a comparison person, in the words every output uses.

Where the matched members are hidden ('*') beside the few left unmatched (members less matched would give
those few away), they are not few: a bare '*' would read as 'almost none'. What the published figures
already say of them is given instead, as a range (the cohort page, the delivery evaluation, the demo's
progress lines)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from vrhub.reports.disclosure import SUPPRESSED


def matched_range(summary: Mapping[str, Any], rows: Iterable[Mapping[str, Any]]) -> str:
    """Where the matched members are hidden beside a small number (the few members left unmatched), what the
    published figures already say of them, in words: no fewer than the most cohort members followed at any
    horizon (`rows`: the published estimates), no more than the members. '' where either end is itself
    hidden: then a '*' is a small count.

    Both ends are published figures rounded to 5 (the followed in the CSV twin and the API), so this tells a
    reader nothing the published figures do not: it only saves them reading '*' as 'almost none'."""
    members = _published_number(summary.get("members"))
    followed = [_published_number(r.get("cohort_followed")) for r in rows]
    known = [f for f in followed if f is not None]
    if summary.get("matched") != SUPPRESSED or members is None or not known:
        return ""
    low = max(known)
    return f"about {low:,.0f} to {members:,.0f}" if low < members else f"about {members:,.0f}"


def matched_words(summary: Mapping[str, Any], rows: Iterable[Mapping[str, Any]], who: str) -> str:
    """'610 of 625 participants matched', or 'about 610 to 625 of 625 ...' where the matched are hidden
    beside a few unmatched; '* of 10 ...' only where the matched are themselves few."""
    matched = matched_range(summary, rows) or _shown(summary.get("matched"))
    return f"{matched} of {_shown(summary.get('members'))} {who} matched"


def _shown(value: Any) -> str:
    number = _published_number(value)
    return f"{number:,.0f}" if number is not None else str(value)


def _published_number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):  # '*', None
        return None
    return None if number != number else number

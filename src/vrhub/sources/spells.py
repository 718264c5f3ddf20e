"""Spells (an exclusion, a NEET period, a participation): a start and an optional end, in that order."""

from __future__ import annotations

from collections.abc import Callable

from vrhub.sources import values
from vrhub.sources.reading import Header
from vrhub.sources.staging import raw_value


def dates_in_order(start: str, end: str) -> Callable[[Header], str | None]:
    """A `RowCheck` condition: true where both dates parse and `end` falls before `start` (a spell cannot
    end before it began; a blank or unreadable date is its own column's problem)."""

    def condition(header: Header) -> str | None:
        first, last = header.find(start), header.find(end)
        if first is None or last is None:
            return None
        began = values.parse("date", raw_value(first))
        ended = values.parse("date", raw_value(last))
        return f"{ended} < {began}"

    return condition

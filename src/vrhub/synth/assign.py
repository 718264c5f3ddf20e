"""Placing generated events on rows of a calibrated extract: each event takes the unused row of its group
(role, sex, borough...) nearest its day, so the extract's published counts stay exactly as they were and the
event keeps (nearly) its day."""

from __future__ import annotations

import numpy as np


def nearest_rows(
    event_group: np.ndarray, event_day: np.ndarray, row_group: np.ndarray, row_day: np.ndarray
) -> np.ndarray:
    """For each event, the index of a row of its group, each row taken once: the row nearest the event's
    day, or (where an earlier event of the group took that one) the next free row after it; -1 where the
    group has no row left. Days are datetime64[D]."""
    span = np.int64(1 << 20)
    rows = np.lexsort((row_day, row_group))
    rg, rd = row_group[rows].astype(np.int64), row_day[rows].astype(np.int64)
    events = np.lexsort((event_day, event_group))
    eg, ed = event_group[events].astype(np.int64), event_day[events].astype(np.int64)
    first = np.searchsorted(rg, eg, side="left")
    size = np.searchsorted(rg, eg, side="right") - first
    after = np.searchsorted(rg * span + rd, eg * span + ed, side="left")  # first row on or after the day
    before = after - 1
    closer = (before >= first) & (
        (after >= first + size) | (ed - rd[np.maximum(before, 0)] <= rd[np.minimum(after, rd.size - 1)] - ed)
    )
    local = np.where(closer, before, after) - first
    # Each later event of a group takes a later row than the one before it: local + the pushes so far.
    rank = np.arange(eg.size) - np.searchsorted(eg, eg, side="left")
    _, dense = np.unique(eg, return_inverse=True)
    lift = dense.astype(np.int64) * (4 * span)
    taken = rank + np.maximum.accumulate(local - rank + lift) - lift
    out = np.full(event_group.size, -1, np.int64)
    ok = taken < size
    out[events[ok]] = rows[first[ok] + taken[ok]]
    return out

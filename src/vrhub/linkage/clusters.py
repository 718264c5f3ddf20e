"""People from pairs: connected groups of records, each named by its anchor record.

A person is a connected group of records whose pairs are at or above the threshold (connected components,
as splink clusters). The groups are found with a sparse-graph search over the record ids, the same whatever
engine scored the pairs, so the same pairs give the same people.

A record the threshold leaves on its own then joins the person of its likeliest partner, where that pair is
more likely than not the same person (`lone_pairs`). The threshold is high because a pair between two
groups merges them whole; a lone record's one pair can only misplace that record, so a lower bar costs
little precision, and it is the record's best explanation: it is more likely its partner's than anyone's.

Each person's id is a keyed hash of its anchor: the record that came in first (earliest load, then row).
The id therefore stands as long as that record is in the group: a new record joining the person, another
run over the same records, or a later record leaving it changes nothing. Two people merged by a new record
keep the older one's id; a person whose anchor is purged takes the id of its next record.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def _positions(uids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The position in `uids` of each of `ids`, or -1 where it is not among them."""
    n = uids.size
    order = np.argsort(uids)
    ordered = uids[order]
    at = np.clip(np.searchsorted(ordered, ids), 0, n - 1)
    return np.where(ordered[at] == ids, order[at], -1)


def components(uids: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """A group number for each of `uids`, joining each pair (`left[i]`, `right[i]`); pairs naming a
    record not among `uids` are ignored."""
    n = uids.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    a, b = _positions(uids, left), _positions(uids, right)
    keep = (a >= 0) & (b >= 0)
    graph = coo_matrix((np.ones(int(keep.sum()), dtype=np.int8), (a[keep], b[keep])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels.astype(np.int64)


def lone_pairs(
    uids: np.ndarray,
    labels: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    probabilities: np.ndarray,
    floor: float,
) -> tuple[np.ndarray, np.ndarray]:
    """For each record alone in its group (`labels`, from `components`), the pair joining it to its
    likeliest partner, where that pair's probability is at least `floor`. Ties go to the partner with
    the smaller id, so the same pairs give the same people."""
    # Only pairs at the floor can join a record: most scored pairs are far below it, so they go first.
    likely = probabilities >= floor
    left, right, probabilities = left[likely], right[likely], probabilities[likely]
    if uids.size == 0 or left.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    one, other = np.concatenate([left, right]), np.concatenate([right, left])
    p = np.concatenate([probabilities, probabilities])
    at = _positions(uids, one)
    alone = np.zeros(at.size, dtype=bool)
    known = (at >= 0) & (_positions(uids, other) >= 0)
    alone[known] = np.bincount(labels)[labels[at[known]]] == 1
    one, other, p = one[alone], other[alone], p[alone]
    order = np.lexsort((other, -p, one))  # by record, likeliest partner first
    first = np.ones(order.size, dtype=bool)
    first[1:] = one[order][1:] != one[order][:-1]
    return one[order][first], other[order][first]


def anchors(labels: np.ndarray, since: np.ndarray) -> np.ndarray:
    """For each record, the position of its group's anchor: the record with the smallest `since`."""
    n = labels.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((since, labels))  # by group, then by seniority
    first_of_group = np.ones(n, dtype=bool)
    first_of_group[1:] = labels[order][1:] != labels[order][:-1]
    anchor_of_label = np.empty(int(labels.max()) + 1, dtype=np.int64)
    anchor_of_label[labels[order][first_of_group]] = order[first_of_group]
    return anchor_of_label[labels]


def existing_pairs(uids: np.ndarray, persons: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Pairs that hold each earlier person together: every record of a person joined to the first of its
    records (an incremental run keeps the people it found before and only adds to them)."""
    if len(uids) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    _, first, codes = np.unique(
        persons.to_numpy(zero_copy_only=False), return_index=True, return_inverse=True
    )
    return uids, uids[first[codes]]

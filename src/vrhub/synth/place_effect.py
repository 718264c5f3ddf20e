"""The demo's planted place-based effect: from its start month, a share of the crimes committed in the
treated LSOAs moves into their untreated neighbours (displacement).

Moving, not deleting, keeps every published count (force-wide by year, by offence and person) exactly as
it was; the neighbours receive the crimes because an evaluation leaves them out of its donors (displacement
would move them too), so the comparison areas are untouched. Exactly the planted share of each treated
LSOA's crimes of each month moves, so the realised fall is the planted one.
"""

from __future__ import annotations

import functools

import numpy as np

from vrhub.synth._common import lsoas
from vrhub.synth.planted import PATROLS, PlantedPlace


@functools.cache
def _receivers(treated: tuple[str, ...]) -> dict[int, np.ndarray]:
    """For each treated LSOA (by index into `lsoas()`), its untreated neighbours in its own borough (all of
    its untreated neighbours if none is), as indices: queen contiguity, as the evaluation's."""
    import shapely

    from vrhub.geography import load_lsoa_boundaries

    codes, _, borough = lsoas()
    areas = load_lsoa_boundaries(2011).set_index("lsoa_code").reindex(codes)
    geoms = areas.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    out = {}
    for code in treated:
        i = int(np.flatnonzero(codes == code)[0])
        near = tree.query(geoms[i], predicate="intersects")
        near = near[~np.isin(codes[near], treated)]
        same = near[borough[near] == borough[i]]
        out[i] = np.sort(same if same.size else near)
    return out


def displace(crimes: dict[str, np.ndarray], rng: np.random.Generator, place: PlantedPlace = PATROLS) -> int:
    """Move the planted share of the treated LSOAs' crimes from the start month on; returns how many moved."""
    receivers = _receivers(place.lsoas)
    month = crimes["committed"].astype("datetime64[M]")
    treated = np.isin(crimes["lsoa"], list(receivers)) & ~crimes["no_lsoa"]
    treated &= month >= np.datetime64(place.start, "M")
    rows = np.flatnonzero(treated)
    # Within each LSOA and month, in a random order, the first round(share x count) crimes move.
    group = crimes["lsoa"][rows].astype(np.int64) * 10_000 + month[rows].astype(np.int64)
    order = np.lexsort((rng.random(rows.size), group))
    rows, group = rows[order], group[order]
    first = np.searchsorted(group, group, side="left")
    size = np.searchsorted(group, group, side="right") - first
    moving = rows[(np.arange(rows.size) - first) < np.round(-place.change * size)]
    for i, near in receivers.items():
        mine = moving[crimes["lsoa"][moving] == i]
        crimes["lsoa"][mine] = near[rng.integers(0, near.size, mine.size)]
    return int(moving.size)

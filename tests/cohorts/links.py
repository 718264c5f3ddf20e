"""The linkage's table, written by the tests until the linkage is on this branch: `person_links` as agreed
(agency, record_key, source, source_key, person_id, run_id), each reference pseudonymised by the warehouse's
own key exactly as its source's table stores it."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from vrhub.hub import Hub

_SCHEMA = pa.schema(
    [
        ("agency", pa.string()),
        ("record_key", pa.string()),
        ("source", pa.string()),
        ("source_key", pa.string()),
        ("person_id", pa.string()),
        ("run_id", pa.int64()),
    ]
)


def write_links(
    hub: Hub, links: Iterable[tuple[str, str, str]], run_id: int = 1, agency: str = "tests"
) -> int:
    """Add (source, reference as written in the source's file, person id) rows. Returns how many."""
    rows = list(links)
    with hub.open() as wh:
        pseudonyms = hub._pseudonymiser(wh)
        wh.execute(
            "CREATE TABLE IF NOT EXISTS person_links (agency VARCHAR, record_key VARCHAR, source VARCHAR, "
            "source_key VARCHAR, person_id VARCHAR, run_id BIGINT)"
        )
        table = pa.table(
            {
                "agency": [agency] * len(rows),
                "record_key": [f"{agency}-{run_id}-{i}" for i in range(len(rows))],
                "source": [s for s, _, _ in rows],
                "source_key": [pseudonyms(ref) for _, ref, _ in rows],
                "person_id": [p for _, _, p in rows],
                "run_id": [run_id] * len(rows),
            },
            schema=_SCHEMA,
        )
        wh.insert("person_links", table)
    return len(rows)

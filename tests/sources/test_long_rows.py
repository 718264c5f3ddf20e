"""A row over DuckDB's 2 MB line limit (a free-text field pasted whole) is read, not dropped: DuckDB's reader
skips such a row without recording it, and recovering from that took gigabytes of memory."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.sources.helpers import ingest
from vrhub.hub import Hub


@pytest.mark.slow
def test_rows_with_a_field_over_2_mb_are_all_accounted_for(hub: Hub, tmp_path: Path) -> None:
    sample = FIXTURES / "police-uk" / "2019-09-merseyside-street-sample.csv"
    rows = list(csv.reader(sample.open(newline="")))
    rows[1][6] = "\n" * 2_200_000  # the Location of one crime: 2.2 million line breaks, quoted
    rows[2:2] = [rows[1]] * 5  # and five identical copies
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path = tmp_path / "long.csv"
    path.write_text(buf.getvalue())
    summary = ingest(hub, "police-uk", path)
    assert summary.rows_read == len(rows) - 1
    # The long row and every other loaded; its copies share its Crime ID and content: duplicates.
    counts = (summary.rows_loaded, summary.rows_quarantined, summary.duplicates_skipped)
    assert counts == (len(rows) - 6, 0, 5)

"""The single-writer design: while the upload worker holds the warehouse's one write lock, mid-load, pages
and read-only queries from other threads keep working on the last committed data, and nobody meets
'database is locked'; once the load commits, everybody sees the new rows."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the worker thread reads the rows the test writes
    pytest.mark.slow,
]


def _local_sv_2019() -> float:
    from vrhub.web import figures

    frame = figures.measures_frame()
    row = frame[
        (frame.measure_id == "local_sv_offences")
        & (frame.period == "2019")
        & (frame.area_code == "E23000004")
        & (frame.breakdown == "")
    ]
    return float(row.value.iloc[0])


def _read() -> tuple[int, int, float]:
    """What a page does: a read-only query, the loads list, and the figures (computed afresh here)."""
    from vrhub.web.warehouse import hub

    with hub().open(read_only=True) as wh:
        records = wh.to_arrow(wh.table("police_records").count().as_table()).column(0)[0].as_py()
    return records, hub().loads().num_rows, _local_sv_2019()


def test_reads_see_the_committed_data_while_an_upload_holds_the_write_lock(
    web_data: Path, client_as, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vrhub.sources import ingest
    from vrhub.web import figures
    from vrhub.web.uploads import worker
    from vrhub.web.uploads.models import Upload
    from vrhub.web.warehouse import hub

    inside, release = threading.Event(), threading.Event()
    load = ingest._load

    def held_load(*args, **kwargs):
        load(*args, **kwargs)  # the rows are written, their transaction still open, the lock still held
        inside.set()
        assert release.wait(60)

    monkeypatch.setattr(ingest, "_load", held_load)
    before = _read()
    # web_data holds police-records/good.csv: 7 person rows, 5 local serious violence offences in 2019.
    assert (before[0], before[2]) == (7, 5)

    # The same rows under new references: 7 new person rows, 5 new offences.
    text = (FIXTURES / "police-records" / "good.csv").read_text()
    more = tmp_path / "more-crimes.csv"
    more.write_text(text.replace("MP/19/", "MP/19/9").replace("PERS-", "PERS-9"))
    partner = client_as("partner", "Merseyside Police")
    with more.open("rb") as handle:
        response = partner.post("/uploads/new/", {"source": "police-records", "file": handle}, secure=True)
    assert response.status_code == 302  # answered at once: the load runs in the worker, not the request
    made = Upload.objects.get()
    try:
        assert inside.wait(60), "the load never reached its write"
        assert hub().shared._writer.locked()  # the reads below happen during the write
        figures.clear()  # so the figures are computed from the warehouse mid-write, not from memory

        with ThreadPoolExecutor(max_workers=4) as pool:
            during = [f.result(timeout=60) for f in [pool.submit(_read) for _ in range(8)]]
        assert during == [before] * 8  # the last committed state, uncommitted rows unseen, no error

        status = partner.get(f"/uploads/{made.pk}/status.json", secure=True).json()
        assert (status["status"], status["stage"], status["final"]) == (
            "running",
            "Loading the rows into the warehouse",
            False,
        )
        page = partner.get(f"/uploads/{made.pk}/", secure=True).content.decode()
        assert f'data-upload-status-url="/uploads/{made.pk}/status.json"' in page
        assert "Refresh this page" in page  # works without JavaScript
        assert '<script src="/static/vrhub/upload-progress.js"></script>' in page
        assert "<script>" not in page  # no inline script (the CSP forbids it)
        assert partner.get("/uploads/", secure=True).status_code == 200
    finally:
        release.set()
    assert worker.wait_for_idle(60)

    made.refresh_from_db()
    assert (made.status, made.rows_loaded) == ("loaded", 7)
    records, loads, local_sv = _read()
    assert (records, loads, local_sv) == (14, before[1] + 1, 10)

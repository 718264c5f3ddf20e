"""After a load that adds rows, the upload worker computes the pages' figures itself, so the first visitor
after a load waits for none of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.web.test_uploads import upload

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the worker thread reads the rows the test writes
    pytest.mark.slow,
]


def test_the_worker_computes_the_figures_after_a_load_that_adds_rows(
    web_data: Path, client_as, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vrhub.hub import Hub
    from vrhub.web import figures

    text = (FIXTURES / "police-records" / "good.csv").read_text()
    renamed = tmp_path / "more-crimes.csv"
    renamed.write_text(text.replace("MP/19/", "MP/19/9").replace("PERS-", "PERS-9"))
    made = upload(client_as("partner", "Merseyside Police"), renamed)
    assert (made.status, made.rows_loaded) == ("loaded", 7)

    asked: list[object] = []
    real = Hub.measures
    monkeypatch.setattr(Hub, "measures", lambda self, *a, **k: asked.append(a) or real(self, *a, **k))
    monkeypatch.setattr(Hub, "quality", lambda self, *a, **k: asked.append("quality"))
    overview = figures.measures_frame()
    for kwargs in ({"by": "age_band"}, {"by": "sex"}, {"period": "month"}):
        figures.measures_frame(**kwargs)
    figures.quality()
    assert asked == []  # every one from memory, computed by the worker after the load
    row = overview[
        (overview.measure_id == "local_sv_offences")
        & (overview.period == "2019")
        & (overview.area_code == "E23000004")
        & (overview.breakdown == "")
    ]
    assert float(row.value.iloc[0]) == 10  # and after it: good.csv's 5 offences, and these 5

"""After a load, the scheduler's next tick computes the dashboard's figures and rewrites the report, once per
warehouse generation; with nothing loaded it does neither."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_a_load_refreshes_the_figures_and_the_report_once(
    web_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vrhub.hub import Hub
    from vrhub.web import figures
    from vrhub.web.dashboard import report_jobs
    from vrhub.web.schedule.runner import Scheduler
    from vrhub.web.warehouse import hub

    started: list[str] = []
    monkeypatch.setattr(report_jobs, "_spawn", started.append)  # the thread's body is run below, here
    scheduler = Scheduler(check_every=0, refresh_every=60)
    assert scheduler.tick().reports_started == [] and started == []  # nothing loaded since start-up
    report = web_data / "reports" / "partner" / "vrhub-report-partner.html"
    assert not report.exists()

    # `vrhub ingest` or an upload: five more offences in borough E08000012's 2019.
    more = tmp_path / "more-crimes.csv"
    text = (FIXTURES / "police-records" / "good.csv").read_text()
    more.write_text(text.replace("MP/19/", "MP/19/9").replace("PERS-", "PERS-9"))
    before = figures.generation()
    (summary,) = hub().ingest("police-records", [more])
    assert summary.rows_loaded == 7 and figures.generation() != before

    assert scheduler.tick().reports_started == []  # the figures now; the report once the loads stop
    assert scheduler.tick().reports_started == ["partner"]  # the public edition was never written
    report_jobs.generate(started.pop())
    assert report.is_file() and report_jobs.status()["editions"]["partner"]["error"] is None

    asked: list[object] = []
    monkeypatch.setattr(Hub, "measures", lambda self, *a, **k: asked.append(a))
    monkeypatch.setattr(Hub, "quality", lambda self, *a, **k: asked.append("quality"))
    overview = figures.measures_frame()
    figures.quality()
    assert asked == []  # computed by the tick, after the load
    row = overview[
        (overview.measure_id == "local_sv_offences")
        & (overview.period == "2019")
        & (overview.area_code == "E23000004")
        & (overview.breakdown == "")
    ]
    assert float(row.value.iloc[0]) == 10  # good.csv's 5 offences, and these 5

    assert scheduler.tick().reports_started == [] and started == []  # once per generation


def test_a_published_public_edition_is_rewritten_too(web_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vrhub.web.dashboard import report_jobs
    from vrhub.web.schedule.refresh import Refresher
    from vrhub.web.warehouse import hub

    started: list[str] = []
    monkeypatch.setattr(report_jobs, "_spawn", started.append)
    monkeypatch.setattr("vrhub.web.figures.warm", lambda: None)
    monkeypatch.setattr("vrhub.hub.Hub.report", lambda self, *a, **k: None)  # the writing is the test above's
    public = report_jobs.folder("public")
    public.mkdir(parents=True)
    (public / "vrhub-report-public.html").write_text("<p>last quarter's</p>")
    refresher = Refresher()
    with hub().shared.open() as _wh:  # type: ignore[union-attr]
        pass  # a write, as a load's
    assert refresher.tick() == []
    with hub().shared.open() as _wh:  # type: ignore[union-attr]
        pass  # another load before the next tick: still settling
    assert refresher.tick() == []
    assert refresher.tick() == ["partner"]
    assert refresher.tick() == []  # one report at a time: the partner edition is still being written
    report_jobs.generate("partner")
    assert refresher.tick() == ["public"]

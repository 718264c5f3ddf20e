"""`vrhub demo` writes its measures and report after its last load (the web application's delivery
indicators), so measures.csv holds every measure `vrhub measures` lists on the demo's data."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from vrhub.hub import Hub
from vrhub.measures import MeasureRequest

DELIVERY = (
    "indicator_id,area_code,period,value,unit,note\n"
    "professionals_trained,E23000004,2021-Q4,120,professionals,delivery records\n"
    "case_studies,E23000004,2021-Q4,3,case studies,delivery records\n"
)


@pytest.mark.slow
def test_hub_demo_writes_measures_and_report_after_the_last_load(
    hub: Hub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A load made by `after_loads` (as the CLI loads the delivery indicators) is in measures.csv, and the
    report is written after it: measures.csv's measures are exactly those `vrhub measures` lists."""
    from vrhub import synth
    from vrhub.synth.services import write_indicators

    order: list[str] = []

    def generate_demo(folder: Path, seed: int) -> dict[str, Path]:
        folder.mkdir(parents=True, exist_ok=True)
        return {"indicators": write_indicators(folder / "indicators.csv")}  # a few dozen rows: quick

    def after_loads(loading: Hub) -> None:
        path = tmp_path / "delivery.csv"
        path.write_text(DELIVERY, encoding="utf-8")
        [summary] = loading.ingest("indicators", [path])
        assert summary.rows_loaded == 2
        order.append("delivery loaded")

    def report(*_args: Any, **_kwargs: Any) -> str:
        order.append("report")  # the report (HTML and PDF) reads the warehouse as it stands: after the load
        return "report"

    monkeypatch.setattr(synth, "generate_demo", generate_demo)
    monkeypatch.setattr(hub, "report", report)
    hub.demo(after_loads=after_loads)

    assert order == ["delivery loaded", "report"]
    with (hub.settings.reports_dir / "measures.csv").open(encoding="utf-8") as handle:
        written = {r["measure_id"] for r in csv.DictReader(handle)}
    listed = set(hub.measures(MeasureRequest()).table.column("measure_id").to_pylist())
    assert {"professionals_trained", "case_studies"} <= written
    assert written == listed


def test_the_demo_command_loads_the_delivery_indicators_before_writing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The CLI hands the delivery load to hub.demo as its last load, and the web application's
    preparation afterwards loads nothing more."""
    from typer.testing import CliRunner

    from vrhub.cli import app
    from vrhub.web import serve as server

    order: list[str] = []

    class Written:
        html = tmp_path / "report.html"
        pdf = None

    def demo(self: Hub, seed: int, progress: Any, step: Any, after_loads: Any = None) -> Written:
        order.append("loads")
        after_loads(self)
        order.append("measures and report")
        return Written()

    monkeypatch.setattr(Hub, "demo", demo)
    monkeypatch.setattr(server, "configure", lambda *a, **k: None)
    monkeypatch.setattr(server, "prepare_demo_delivery", lambda hub, say: order.append("delivery"))
    monkeypatch.setattr(
        server,
        "prepare",
        lambda demo_users=False, demo_delivery=False, say=print: order.append(
            f"prepare delivery={demo_delivery}"
        ),
    )
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert order == ["loads", "delivery", "measures and report", "prepare delivery=False"]

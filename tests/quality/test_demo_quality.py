"""The checks on the demo data: the recording change planted in ED 2021 is found, and little else is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import copy_demo
from vrhub.quality import QualityReport, check_quality


@pytest.fixture(scope="module")
def demo_report(_demo_run: Path, tmp_path_factory: pytest.TempPathFactory) -> QualityReport:
    """The checks on a copy of the warehouse `vrhub demo` (seed 2022) loaded."""
    hub = copy_demo(_demo_run, tmp_path_factory.mktemp("quality-demo") / "data")
    with hub.open(read_only=True) as wh:
        # As of the month after the demo's last (2021-12): its sources are all late against today's date.
        report = check_quality(wh, today=dt.date(2022, 1, 15))
    for f in report.items():  # shown with -s: read them when a threshold or the demo changes
        print(f"{f.severity:8} {f.source:16} {f.month or '':8} {f.check:15} {f.message}")
    return report


@pytest.mark.slow
def test_the_ed_not_specified_jump_of_2021_is_found(demo_report: QualityReport) -> None:
    f = demo_report.findings
    drift = f[(f["check"] == "category_drift") & (f["source"] == "ed-attendances")]
    [year] = drift[drift["message"].str.contains("'not specified'") & (drift["month"] == "2021")].to_dict(
        "records"
    )
    assert year["severity"] == "warning" and year["field"] == "assault_method"
    assert year["message"].startswith(
        "ED assault method 'not specified' rose from 12% of attendances in 2020 to 3"
    )
    assert "beyond chance (p < 0.001); likely a recording change, not a real change." in year["message"]
    [month] = drift[drift["message"].str.contains("'not specified'") & (drift["month"] != "2021")].to_dict(
        "records"
    )
    assert month["month"] == "2021-01" and "through 2021-12" in month["message"]


@pytest.mark.slow
def test_the_demo_is_not_flooded_with_findings(demo_report: QualityReport) -> None:
    f = demo_report.findings
    assert demo_report.count("error") == 0
    # Besides the ED method changes of 2021: the April 2020 lockdown fall in ambulance call-outs, which a
    # count alone cannot tell from missing data, and the police rows with no LSOA.
    assert demo_report.count("warning") <= 6, f["message"].tolist()
    assert len(f) <= 8
    others = f[(f["check"] != "category_drift") | (f["source"] != "ed-attendances")]
    assert set(zip(others["source"], others["check"], strict=True)) <= {
        ("ambulance", "low_count"),
        ("police-records", "unplaced_lsoa"),
    }
    assert set(demo_report.completeness["source"]) == {
        "police-records",
        "ed-attendances",
        "hospital-admissions",
        "ambulance",
        "fire",
        "indicators",
    }

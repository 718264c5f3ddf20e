"""The Strategic Needs Assessment as a reader gets it: the PDF's sections and tables, and a public edition
that leaks no small count below the force-wide total."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import copy_demo
from vrhub.config import FORCE_CODE
from vrhub.hub import Hub
from vrhub.reports.build import gather
from vrhub.reports.disclosure import SUPPRESSED
from vrhub.reports.public import public_copy

SECTIONS = [
    "1. Summary",
    "2. The serious-violence definitions used",
    "3. Data sources, coverage and quality",
    "4. Volume and trends",
    "5. Success measures",
    "6. People",
    "7. Places",
    "8. Times",
    "9. Weapons",
    "10. Health, ambulance and fire",
    "11. Reproducing the strategy",
    "12. Caveats",
]


pytestmark = pytest.mark.slow  # reports from the demo's warehouse (`vrhub demo` once per test run)


@pytest.fixture(scope="module")
def hub(_demo_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Hub:
    """A copy of what `vrhub demo` (seed 2022) made."""
    return copy_demo(_demo_run, tmp_path_factory.mktemp("sna") / "data")


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed; .ci/run installs it")
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_pdf_has_every_section_and_the_tables(hub: Hub) -> None:
    # The partner edition (Hub.report's default) as `vrhub demo` wrote it, not written a second time (each
    # report is some 15 s); test_the_public_report_is_marked_and_written calls Hub.report with an edition.
    pdf = hub.settings.reports_dir / "vrhub-report-partner.pdf"
    assert pdf.stat().st_size > 50_000
    text = " ".join(pdf_text(pdf).split())
    for heading in SECTIONS:
        assert heading in text, heading
    assert "Table 1: Home Office success measures" in text and "Table 2: local success measures" in text
    assert "n=40,490" in text and "OFFICIAL-SENSITIVE" in text
    assert "rose from 13 in 2020 to 19 (+46%), within the range chance alone would give (p = 0.38)" in text
    # The ED 'not specified' share rose from 12% to 32% in 2021: the knife attendances' fall is not called
    # an improvement.
    assert (
        "which may be a recording artefact rather than an improvement: ED assault method 'not specified'"
        in text
    )
    html = (hub.settings.reports_dir / "vrhub-report-partner.html").read_text("utf-8")
    # The demo's 2018 is April to December: marked, and no change from its total anywhere in the report's
    # own tables (section 11 reproduces the strategy's +45% and +336%, labelled and with the monthly change).
    assert "2018 (9 months of data), like for like (Apr-Dec of both, 9 months)" in html
    tables = html[html.index('id="tables"') : html.index('id="people"')]
    assert "45% increase" not in tables and "336% increase" not in tables
    assert "Not like for like; like for like (Apr-Dec of both, 9 months): +13%" in html
    assert "|z| \u2265 3" in html and "0.000" not in tables  # Wheeler's threshold said; p never 0.000
    # Both definitions, and what the appendix's domestic exclusion removes each year.
    definitions = html[html.index('id="definition"') : html.index('id="sources"')]
    assert "Offence groups the strategy" in definitions and "violence-against-the-person" in definitions
    assert "Merseyside local definition" in definitions and "Excluded (domestic)" in definitions
    effect = hub.definition_effect("merseyside_local").to_pylist()
    assert [r["year"] for r in effect] == [2018, 2019, 2020, 2021] and all(r["excluded"] > 0 for r in effect)
    for r in effect:
        cells = (r["year"], f"{r['meet_rules']:,}", f"{r['excluded']:,}", f"{r['counted']:,}")
        row = "".join(f"<td>{c}</td>" for c in cells)
        assert row in definitions


def _below_force_counts(data: dict) -> list[object]:
    found: list[object] = []
    found += data["places"].loc[data["places"]["area_code"] != FORCE_CODE, "value"].tolist()
    found += (
        data["people"]["value"].tolist() + data["times"]["n"].tolist() + data["weapons"]["value"].tolist()
    )
    monthly = data["monthly"]
    found += monthly.loc[monthly["area_code"] != FORCE_CODE, "value"].tolist()
    if data["hotspots"] is not None:
        found += data["hotspots"].table["count"].tolist()
    return found


def test_the_public_edition_shows_no_count_of_1_to_7_below_force_level(hub: Hub) -> None:
    with hub.open(read_only=True) as wh:
        exact = gather(wh)
    public = public_copy(exact)
    shown = [v for v in _below_force_counts(public) if v == v and v is not None]
    numbers = [float(v) for v in shown if v != SUPPRESSED]
    assert numbers and all(not 1 <= v <= 7 for v in numbers)
    assert all(v % 5 == 0 for v in numbers)
    # The partner edition's data do hold small counts: the test would catch a public copy that kept them.
    assert any(1 <= float(v) <= 7 for v in _below_force_counts(exact) if v == v and v is not None)


def test_the_public_report_is_marked_and_written(hub: Hub) -> None:
    report = hub.report(edition="public")
    text = " ".join(pdf_text(report.pdf).split())
    assert "OFFICIAL: for publication" in text and "OFFICIAL-SENSITIVE" not in text

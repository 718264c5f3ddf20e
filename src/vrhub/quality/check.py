"""`check_quality`: every check on every source (or one), as one report sorted most severe first."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from vrhub.quality.completeness import completeness, completeness_findings, unplaced
from vrhub.quality.coverage import coverage_frame, indicator_coverage, monthly_coverage, not_loaded
from vrhub.quality.drift import drift_findings
from vrhub.quality.model import COMPLETENESS_COLUMNS, Finding, QualityReport, Thresholds, findings_frame
from vrhub.quality.model import resolve as profiles
from vrhub.quality.records import implausible, inconsistent_crimes, possible_duplicates, quarantined, skipped
from vrhub.quality.volume import monthly_counts, volume_findings
from vrhub.warehouse import Warehouse


def check_quality(
    wh: Warehouse,
    source: str | None = None,
    thresholds: Thresholds | None = None,
    today: dt.date | None = None,
) -> QualityReport:
    """Check every source, or the one named (CLI name `ed-attendances` or table `ed_attendances`).
    `today` (default: the machine's date) is what timeliness measures the latest month against.

    Reads only: the warehouse may be opened read-only. Each check is a grouped query; only per-month
    aggregates come back to Python, where the statistics run on a few hundred numbers at most.
    """
    th = thresholds or Thresholds()
    today = today or dt.date.today()
    findings: list[Finding] = []
    tables = []
    covered = []
    for profile in profiles(source):
        # Problems at ingest are reported even when nothing of the source loaded.
        findings += quarantined(wh, profile) + skipped(wh, profile)
        rows = wh.table(profile.table).count().to_pyarrow().as_py()
        if rows == 0:
            covered.append(not_loaded(profile))
            continue
        table = completeness(wh, profile)
        tables.append(table)
        findings += completeness_findings(profile, table, th) + unplaced(wh, profile, th)
        if profile.date is not None:
            counts = monthly_counts(wh, profile)
            findings += volume_findings(profile, counts, th)
            span, late = monthly_coverage(profile, rows, counts, th, today)
            covered.append(span)
            findings += late
        else:
            covered.append(indicator_coverage(wh, profile, rows))
        findings += drift_findings(wh, profile, th)
        findings += possible_duplicates(wh, profile) + inconsistent_crimes(wh, profile)
        findings += implausible(wh, profile, th)
    filled = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=COMPLETENESS_COLUMNS)
    return QualityReport(
        findings=findings_frame(findings),
        completeness=filled,
        thresholds=th,
        coverage=coverage_frame(covered),
    )

"""How `vrhub quality` and `vrhub trends` put their answers: what is loaded and what is not, per source,
before any "none", so an empty warehouse never reads as clean data."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from vrhub.cli.advice import emit, err, out

if TYPE_CHECKING:
    from vrhub.analysis.series import Trend
    from vrhub.quality import QualityReport


def _records(frame: Any) -> list[dict[str, Any]]:
    """Rows as plain JSON values: NaN and missing as null."""
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def quality_json(report: QualityReport) -> dict[str, Any]:
    """One object: per source its coverage, timeliness and fields filled; then every finding."""
    from vrhub.quality.completeness import field_summary

    fields = field_summary(report.completeness)
    sources = []
    for row in _records(report.coverage):
        mine = fields[fields["source"] == row["source"]].drop(columns="source")
        sources.append({**row, "fields": _records(mine)})
    return {
        "sources": sources,
        "findings": _records(report.findings),
        "thresholds": asdict(report.thresholds),
    }


def show_quality(report: QualityReport, fmt: str) -> None:
    import pyarrow as pa

    from vrhub.quality.completeness import field_summary
    from vrhub.quality.coverage import NOT_LOADED

    if fmt == "json":
        sys.stdout.write(json.dumps(quality_json(report), indent=1) + "\n")
        return
    findings = report.findings
    coverage = report.coverage
    missing = coverage.loc[coverage["status"] == NOT_LOADED, "source"].tolist()
    loaded = coverage.loc[coverage["status"] != NOT_LOADED, "source"].tolist()
    if fmt != "table":  # csv: the findings, one shape a spreadsheet takes; what is not loaded on stderr
        emit(pa.Table.from_pandas(findings, preserve_index=False), fmt)
        sys.stdout.flush()  # the CSV first, where stdout and stderr share a terminal
        if missing:
            err.print(f"Not loaded, so not checked: {', '.join(missing)}.", highlight=False)
        return
    emit(pa.Table.from_pandas(coverage, preserve_index=False), "table", title="Sources: months covered")
    if not loaded:
        out.print(
            "Nothing is loaded: no source has any rows, so there is nothing to check. Load files with "
            "`vrhub ingest SOURCE FILE` (or `vrhub demo`).",
            highlight=False,
        )
    else:
        fields = field_summary(report.completeness)
        fields = fields.assign(
            share=(fields["share"] * 100).round(1), lowest=(fields["lowest"] * 100).round(1)
        ).rename(columns={"share": "filled_pct", "lowest": "worst_month_pct"})
        emit(pa.Table.from_pandas(fields, preserve_index=False), "table", title="Fields filled, by source")
    if findings.empty:
        checked = f" in the sources loaded ({', '.join(loaded)})" if loaded else ""
        unchecked = f"; not loaded, so not checked: {', '.join(missing)}" if missing else ""
        out.print(f"Data quality findings: none{checked}{unchecked}.", highlight=False)
        return
    emit(
        pa.Table.from_pandas(
            findings[["severity", "source", "month", "check", "message"]], preserve_index=False
        ),
        "table",
        title="Data quality findings",
    )
    if missing:
        out.print(f"Not loaded, so not checked: {', '.join(missing)}.", highlight=False)


def show_trend(trend: Trend, fmt: str) -> None:
    import pyarrow as pa

    title = f"{trend.measure_id}, {trend.area_code}"
    if trend.table.empty:
        if fmt == "table":
            out.print(f"{title}: {trend.notice}", highlight=False)
        else:
            emit(pa.Table.from_pandas(trend.table, preserve_index=False), fmt)
            err.print(trend.notice, highlight=False)
        return
    if trend.reported and fmt == "table":
        out.print(trend.notice, highlight=False)
    elif trend.reported:
        err.print(trend.notice, highlight=False)
    emit(pa.Table.from_pandas(trend.table, preserve_index=False), fmt, title=title)
    sys.stdout.flush()
    for first, last, n in trend.gaps:
        span = first if n == 1 else f"{first} to {last}"
        err.print(
            f"no data: {span} ({n} month{'s' if n != 1 else ''} with nothing loaded; the rolling total and "
            "last-year columns after it rest on missing months)",
            highlight=False,
        )
    for step in trend.steps:
        err.print(
            f"Level shift from {step.month:%Y-%m}: "
            f"{step.level_before:,.1f} to {step.level_after:,.1f} a month "
            "(check for a recording change before reading it as a real change).",
            highlight=False,
        )

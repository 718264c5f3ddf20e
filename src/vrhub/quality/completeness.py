"""Completeness: the share of rows with each field filled, per month; and rows that no borough can take.

A field that is usually filled and drops in one month is the mark of a changed extract or a system outage,
so a month is compared with the field's usual (median monthly) share, not with 100%.
"""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
from scipy import stats

from vrhub.quality import model
from vrhub.quality.model import Finding, Profile, Thresholds, label, month_of, p_text, pct
from vrhub.warehouse import Warehouse


def completeness(wh: Warehouse, profile: Profile) -> pd.DataFrame:
    """Rows, filled rows and share filled per month and field, in one grouped pass over the table. A field
    blank by design on some rows (no Crime ID on anti-social behaviour) is measured on the rows it fits."""
    t = wh.table(profile.table)
    fields = [f for f in profile.fields if f in t.columns]
    applies = profile.applies(t)
    counts = {}
    for i, f in enumerate(fields):
        counts[f"rows_{i}"] = t.count(where=applies.get(f))
        counts[f"filled_{i}"] = t[f].count(where=applies.get(f))
    if profile.date is None:  # indicators: no event month, so one row per field for the whole table
        query = t.aggregate(**counts).mutate(month=ibis.null("string"))
    else:
        query = t.group_by(month=month_of(t[profile.date])).aggregate(**counts)
    wide = wh.to_arrow(query).to_pandas()
    if wide.empty:
        return pd.DataFrame(columns=model.COMPLETENESS_COLUMNS)
    long = pd.concat(
        [  # a loop over the source's dozen fields, not its rows
            pd.DataFrame(
                {
                    "source": profile.source,
                    "month": wide["month"],
                    "field": f,
                    "rows": wide[f"rows_{i}"],
                    "filled": wide[f"filled_{i}"],
                }
            )
            for i, f in enumerate(fields)
        ]
    )
    long = long[long["rows"] > 0].assign(share=lambda c: c["filled"] / c["rows"])
    return long[model.COMPLETENESS_COLUMNS].sort_values(["month", "field"]).reset_index(drop=True)


def field_summary(filled: pd.DataFrame) -> pd.DataFrame:
    """Per source and field over all months (the web page's "Fields filled, by source", `vrhub quality`):
    rows, filled, share filled, and `lowest`, the share in its worst month. `filled`: `completeness` rows."""
    columns = ["source", "field", "rows", "filled", "share", "lowest"]
    if filled.empty:
        return pd.DataFrame(columns=columns)
    grouped = filled.groupby(["source", "field"], as_index=False)[["rows", "filled"]].sum()
    grouped["share"] = grouped["filled"] / grouped["rows"].where(grouped["rows"] > 0)
    lowest = filled.groupby(["source", "field"])["share"].min().rename("lowest").reset_index()
    return grouped.merge(lowest, on=["source", "field"])[columns]


def completeness_findings(profile: Profile, table: pd.DataFrame, th: Thresholds) -> list[Finding]:
    monthly = table.dropna(subset=["month"])
    if monthly.empty:
        return []
    usual = monthly.groupby("field")["share"].median().rename("usual")
    frame = monthly.join(usual, on="field")
    # A usual share of exactly 1 makes any gap "impossible"; 0.999 keeps the test meaningful in small months.
    frame["p"] = stats.binom.cdf(frame["filled"], frame["rows"], frame["usual"].clip(upper=0.999))
    full = frame["usual"] >= th.usually_filled
    dropped = np.where(full, frame["share"] < th.filled_floor, frame["share"] < frame["usual"] - th.fill_drop)
    flagged = frame[dropped & (frame["p"] < th.alpha) & (frame["usual"] > 0)]
    unit = "rows" if profile.count_distinct else profile.unit
    conditional = profile.conditional
    found = []
    for row in flagged.itertuples(index=False):
        emptied = row.filled == 0 and row.usual >= th.usually_filled  # the column fell out of the extract
        of = f"the {unit} it applies to" if row.field in conditional else unit
        what = "empty in every row" if emptied else f"filled in only {pct(row.share)} of {of}"
        found.append(
            Finding(
                profile.source,
                row.month,
                row.field,
                "completeness",
                "error" if emptied else "warning",
                float(row.share),
                float(row.usual),
                f"{profile.label} {label(row.field)} is {what} in {row.month} ({row.filled:,} of "
                f"{row.rows:,}), against {pct(row.usual)} in a usual month: a drop beyond chance "
                f"({p_text(row.p)}). Check the extract for that month: a changed export or a system "
                "outage, not a change on the ground.",
            )
        )
    return found


def unplaced(wh: Warehouse, profile: Profile, th: Thresholds) -> list[Finding]:
    """Rows with no LSOA or an LSOA outside the loaded areas count for the force but for no borough: a summary
    per source, and a warning for a month with many more of them than usual."""
    t = wh.table(profile.table)
    if profile.date is None or "out_of_area" not in t.columns:
        return []
    query = t.group_by(month=month_of(t[profile.date])).aggregate(
        rows=t.count(),
        outside=t.count(where=t.out_of_area.fill_null(False)),
        blank=t.count(where=t.lsoa_code.isnull()),
    )
    frame = wh.to_arrow(query).to_pandas()
    if frame.empty:
        return []
    frame["k"] = frame["outside"] + frame["blank"]
    frame["share"] = frame["k"] / frame["rows"]
    usual = float(frame["share"].median())
    unit = "rows" if profile.count_distinct else profile.unit
    found = []
    total, rows = int(frame["k"].sum()), int(frame["rows"].sum())
    if total:
        found.append(
            Finding(
                profile.source,
                None,
                "lsoa_code",
                "unplaced_lsoa",
                "info",
                total / rows,
                None,
                f"{total:,} of {rows:,} {profile.label} {unit} ({pct(total / rows)}) are in no borough: "
                f"{int(frame['blank'].sum()):,} have no LSOA and {int(frame['outside'].sum()):,} an LSOA "
                "outside the loaded areas. They count towards the force area only.",
            )
        )
    # Tested against the usual share (at least 0.1%, so a source usually all placed can be tested at all).
    frame["p"] = stats.binom.sf(frame["k"] - 1, frame["rows"], max(usual, 0.001))
    high = (frame["share"] >= th.unplaced_share) & (frame["share"] >= th.unplaced_ratio * usual)
    for row in frame[high & (frame["p"] < th.alpha)].sort_values("month").itertuples(index=False):
        found.append(
            Finding(
                profile.source,
                row.month,
                "lsoa_code",
                "unplaced_lsoa",
                "warning",
                float(row.share),
                usual,
                f"{row.k:,} of {row.rows:,} {profile.label} {unit} in {row.month} ({pct(row.share)}) are in "
                f"no borough ({row.outside:,} out-of-area LSOA, {row.blank:,} no LSOA), against "
                f"{pct(usual)} in a usual month ({p_text(row.p)}): borough figures for {row.month} are too "
                "low. Check the LSOA codes (a different vintage or a shifted column?).",
            )
        )
    return found

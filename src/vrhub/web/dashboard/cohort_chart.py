"""A cohort's outcome curves: the Kaplan-Meier proportion with the outcome by each month of follow-up, with
its 95% CI as a band, cohort against comparison. Server-rendered SVG (Altair, vl-convert), as the report's
charts are; the page gives the same figures as a table beside it."""

from __future__ import annotations

import re
import uuid
from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

from vrhub.reports.charts import FONT, PALETTE

GROUPS = {"cohort": "Cohort", "comparison": "Matched comparison"}


def _value(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and v == v else None


def points(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per group and month with a published proportion (a hidden one is a gap, never a guess).
    `segment` numbers each run of months a group's curve has unbroken: the line and its band are drawn
    per run, so a hidden month (or one past the data) breaks them rather than being bridged."""
    found = []
    segment = dict.fromkeys(GROUPS, 0)
    for row in sorted(rows, key=lambda r: int(r["follow_up_months"])):
        for group, label in GROUPS.items():
            p = row.get(f"{group}_proportion")
            if not isinstance(p, int | float) or p != p:  # '*', None or NaN
                segment[group] += 1
                continue
            low, high = _value(row.get(f"{group}_ci_low")), _value(row.get(f"{group}_ci_high"))
            band = low is not None and high is not None
            found.append(
                {
                    "months": int(row["follow_up_months"]),
                    "group": label,
                    "proportion": 100 * float(p),
                    "low": 100 * low if low is not None and band else None,
                    "high": 100 * high if high is not None and band else None,
                    "segment": f"{group}-{segment[group]}",
                }
            )
    return pd.DataFrame(found, columns=["months", "group", "proportion", "low", "high", "segment"])


def _band_segments(data: pd.DataFrame) -> pd.DataFrame:
    """The band's runs: a month with a proportion but no interval (no one, or everyone, with the outcome)
    breaks the band as a hidden month breaks the line."""
    has = data["low"].notna() & data["high"].notna()
    breaks = (~has).groupby(data["segment"]).cumsum()
    return data.assign(band=data["segment"] + "-" + breaks.astype(str))[has]


def curve_svg(rows: list[dict[str, Any]], title: str, width: int = 560, height: int = 220) -> str | None:
    data = points(rows)
    if data.empty:
        return None
    colour = alt.Color(
        "group:N",
        title=None,
        scale=alt.Scale(domain=list(GROUPS.values()), range=PALETTE[:2]),
        legend=alt.Legend(orient="bottom"),
    )
    x = alt.X("months:Q", title="Months since the start", axis=alt.Axis(tickMinStep=1))
    y = alt.Y("proportion:Q", title="% with the outcome", scale=alt.Scale(domainMin=0))
    band = (
        alt.Chart(_band_segments(data))
        .mark_area(opacity=0.2)
        .encode(x=x, y=alt.Y("low:Q"), y2="high:Q", color=colour, detail="band:N")
    )
    line = (
        alt.Chart(data)
        .mark_line(strokeWidth=2, point=True)
        .encode(x=x, y=y, color=colour, detail="segment:N")
    )
    chart = alt.layer(band, line).properties(width=width, height=height, title=title)
    svg = vlc.vegalite_to_svg(chart.configure(font=FONT).configure_view(stroke=None).to_dict())
    # Inline SVGs share one id space in the page: each chart's ids get a prefix of their own.
    prefix = f"k{uuid.uuid4().hex[:8]}-"
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    return re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", svg)

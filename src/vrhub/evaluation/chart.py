"""The treated area against its synthetic control, month by month, the start marked: a Vega-Lite spec
(Altair) rendered offline with vl-convert, as the report's charts are."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd
import vl_convert as vlc

from vrhub.errors import BadValue

if TYPE_CHECKING:
    from vrhub.evaluation.place import PlaceResult

CHART_SUFFIXES = (".png", ".svg")
FONT = "DejaVu Sans, Arial, sans-serif"  # as the report's charts
TREATED, SYNTHETIC = "#1d70b8", "#505a5f"  # the report's palette: its first colour and its grey


def chart_spec(result: PlaceResult, width: int = 640, height: int = 260) -> dict:
    meta = result.metadata
    monthly = result.monthly
    lines = pd.concat(
        [
            pd.DataFrame({"month": monthly["month"], "series": "Treated LSOAs", "count": monthly["treated"]}),
            pd.DataFrame(
                {"month": monthly["month"], "series": "Synthetic control", "count": monthly["synthetic"]}
            ),
        ],
        ignore_index=True,
    )
    lines["month"] = pd.to_datetime(lines["month"] + "-01")
    start = pd.DataFrame({"month": [pd.Timestamp(f"{meta['first_post_month']}-01")], "label": ["Start"]})
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=8))
    series = (
        alt.Chart(lines)
        .mark_line(strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("count:Q", title=f"{meta.get('unit', 'records')} a month"),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=["Treated LSOAs", "Synthetic control"], range=[TREATED, SYNTHETIC]),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=["Treated LSOAs", "Synthetic control"], range=[[1, 0], [5, 3]]),
                legend=None,
            ),
        )
    )
    rule = alt.Chart(start).mark_rule(color="#d4351c", strokeDash=[4, 4]).encode(x="month:T")
    label = (
        alt.Chart(start)
        .mark_text(align="left", dx=4, dy=-4, baseline="top", color="#d4351c", font=FONT)
        .encode(x="month:T", y=alt.value(0), text="label:N")
    )
    sc = result.synthetic_control
    pct, low, high = sc.percent(sc.per_month), sc.percent(sc.low), sc.percent(sc.high)
    subtitle = f"Effect {sc.total:+,.0f} over {sc.months} months"
    if pct is not None and low is not None and high is not None:
        subtitle = (
            f"Effect {sc.total:+,.0f} ({pct:+.0f}%; {100 * sc.ci_level:.0f}% CI {low:+.0f}% to {high:+.0f}%) "
            f"over {sc.months} months"
        )
    chart = alt.layer(series, rule, label).properties(
        width=width,
        height=height,
        # A catalogue title can run to a paragraph: wrapped, it keeps the chart its own width.
        title=alt.TitleParams(
            textwrap.wrap(f"{meta.get('subject', 'Count')}: treated LSOAs and synthetic control", 90),
            subtitle=subtitle,
        ),
    )
    return chart.configure(font=FONT).configure_view(stroke=None).to_dict()


def chart_svg(result: PlaceResult) -> str:
    return vlc.vegalite_to_svg(chart_spec(result))


def chart_png(result: PlaceResult, path: Path, scale: float = 2.0) -> Path:
    path.write_bytes(vlc.vegalite_to_png(chart_spec(result), scale=scale))
    return path


def check_chart_path(path: Path) -> None:
    """Refuse a chart file named for a format it would not be in (an SVG under .jpg opens as nothing)."""
    if path.suffix.lower() not in CHART_SUFFIXES:
        raise BadValue(
            f"chart '{path}' is not a .png or .svg file",
            "Name the chart file .png (an image) or .svg (a drawing that scales): no other format is made.",
            parameter="chart",
            value=str(path),
        )


def write_chart(result: PlaceResult, path: Path) -> Path:
    """The chart as PNG or SVG, as `path` ends (.png or .svg; anything else is refused)."""
    check_chart_path(path)
    if path.suffix.lower() == ".png":
        return chart_png(result, path)
    path.write_text(chart_svg(result), encoding="utf-8")
    return path

"""Charts as Vega-Lite specs (Altair) rendered offline to SVG with vl-convert: no CDN, no browser."""

from __future__ import annotations

import itertools
import re
import textwrap
from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

FONT = "DejaVu Sans, Arial, sans-serif"
_ids = itertools.count(1)
PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#5694ca", "#b58840", "#505a5f"]


def _svg(chart: alt.TopLevelMixin) -> str:
    spec = chart.configure(font=FONT).configure_view(stroke=None).to_dict()
    svg = vlc.vegalite_to_svg(spec)
    # Inline SVGs share one id space in the page, so each chart's ids get a prefix of their own.
    prefix = f"c{next(_ids)}-"
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    return re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", svg)


def heading(title: str, notes: list[str] | None = None) -> alt.TitleParams:
    """A chart's title with what it counts and its source beneath: a chart copied out of the report
    still says what it shows."""
    # Vega does not wrap titles: wrap at word boundaries to the chart's width instead of letting it cut.
    lines = [w for n in notes or [] if n for w in textwrap.wrap(n, 105)]
    return alt.TitleParams(
        text=textwrap.wrap(title, 80) or [""],
        subtitle=lines or alt.Undefined,
        anchor="start",
        fontSize=13,
        subtitleFontSize=10,
        subtitleColor="#505a5f",
    )


def line(
    df: pd.DataFrame,
    x: str,
    y: str,
    colour: str | None,
    title: str,
    y_title: str = "",
    width: int = 640,
    height: int = 220,
    notes: list[str] | None = None,
    x_title: str = "Month",
) -> str:
    encode: dict[str, Any] = {
        "x": alt.X(f"{x}:T", title=x_title, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=8)),
        "y": alt.Y(f"{y}:Q", title=y_title),
    }
    if colour:
        encode["color"] = alt.Color(
            f"{colour}:N",
            title=None,
            scale=alt.Scale(range=PALETTE),
            legend=alt.Legend(orient="bottom", columns=6),
        )
    chart = alt.Chart(df, title=heading(title, notes), width=width, height=height)
    return _svg(chart.mark_line(strokeWidth=2).encode(**encode))


def bars(
    df: pd.DataFrame,
    category: str,
    value: str,
    title: str,
    colour: str | None = None,
    horizontal: bool = True,
    width: int = 560,
    height: int | None = None,
    sort: list[str] | None = None,
    notes: list[str] | None = None,
    value_title: str | None = None,
    category_title: str | None = None,
    flag: str | None = None,
) -> str:
    """Bars, side by side per `colour` group; horizontal bars sort by size unless `sort` is given.
    `flag`: a boolean column marking suppressed cells, drawn as a '*' where the bar would be (the
    category stays on the axis, not silently dropped)."""
    encode: dict[str, Any]
    df = df.copy()
    if flag and flag in df:
        df[flag] = df[flag].fillna(False).astype(bool)
        df["__mark"] = df[flag].map({True: "*", False: ""})
        df[value] = df[value].where(~df[flag], 0)
    # Every category on the axis, even one whose every value is hidden.
    domain = sort or list(dict.fromkeys(df[category]))
    if horizontal:
        encode = {
            "y": alt.Y(
                f"{category}:N",
                title=category_title,
                sort=sort or "-x",
                scale=alt.Scale(domain=domain) if sort else alt.Undefined,
            ),
            "x": alt.X(f"{value}:Q", title=value_title),
        }
    else:
        axis = alt.Axis(labelAngle=0)
        encode = {
            "x": alt.X(f"{category}:N", title=category_title, sort=sort, axis=axis),
            "y": alt.Y(f"{value}:Q", title=value_title),
        }
    if colour:
        scale, legend = alt.Scale(range=PALETTE), alt.Legend(orient="bottom")
        encode["color"] = alt.Color(f"{colour}:N", title=None, scale=scale, legend=legend)
        offset = alt.YOffset(f"{colour}:N") if horizontal else alt.XOffset(f"{colour}:N")
        encode["yOffset" if horizontal else "xOffset"] = offset
    rows = df[category].nunique() * (df[colour].nunique() if colour else 1)
    # Horizontal bars need room for each row's label; vertical ones spread along the width instead.
    tall = height or (max(120, 18 * rows) if horizontal else 220)
    chart = alt.Chart(df, title=heading(title, notes), width=width, height=tall)
    bars_ = chart.mark_bar(color=PALETTE[0]).encode(**encode)
    if not (flag and flag in df and df[flag].any()):
        return _svg(bars_)
    marks = {k: v for k, v in encode.items() if k != "color"}
    stars = chart.mark_text(
        align="left" if horizontal else "center",
        baseline="middle" if horizontal else "bottom",
        dx=3 if horizontal else 0,
        dy=0 if horizontal else -2,
        fontSize=13,
        fontWeight="bold",
        color="#0b0c0c",
    ).encode(**marks, text="__mark:N")
    return _svg(alt.layer(bars_, stars))


def histogram(
    df: pd.DataFrame,
    start: str,
    end: str,
    value: str,
    title: str,
    x_title: str,
    colour: str | None = None,
    width: int = 640,
    height: int = 220,
) -> str:
    """Counts over bins of a measured quantity (`start` to `end` on a numeric axis): bins of any width,
    and a few axis labels however many bins there are."""
    encode: dict[str, Any] = {
        "x": alt.X(f"{start}:Q", title=x_title, axis=alt.Axis(tickMinStep=1)),
        "x2": alt.X2(f"{end}:Q"),
        "y": alt.Y(f"{value}:Q", title=None),
        "y2": alt.datum(0),  # from the axis: with x and x2 both given, a bar has no baseline of its own
    }
    if colour:
        scale, legend = alt.Scale(range=PALETTE), alt.Legend(orient="bottom")
        encode["color"] = alt.Color(f"{colour}:N", title=None, scale=scale, legend=legend)
    chart = alt.Chart(df, title=title, width=width, height=height)
    return _svg(
        chart.mark_bar(color=PALETTE[0], binSpacing=0, stroke="white", strokeWidth=0.5).encode(**encode)
    )


def heatmap(
    df: pd.DataFrame,
    x: str,
    y: str,
    value: str,
    title: str,
    x_sort: list | None = None,
    y_sort: list | None = None,
    notes: list[str] | None = None,
    count_title: str = "Count",
    flag: str | None = None,
) -> str:
    """A grid of counts; `flag`: a boolean column marking suppressed cells, drawn uncoloured with a '*'."""
    base = alt.Chart(df, title=heading(title, notes), width=600, height=200)
    position = {
        "x": alt.X(f"{x}:O", title="Hour of day", sort=x_sort, axis=alt.Axis(labelAngle=0)),
        "y": alt.Y(f"{y}:O", title="Weekday", sort=y_sort),
    }
    cells = base.mark_rect().encode(
        **position, color=alt.Color(f"{value}:Q", title=count_title, scale=alt.Scale(scheme="blues"))
    )
    if not (flag and flag in df and df[flag].fillna(False).astype(bool).any()):
        return _svg(cells)
    hidden = df[df[flag].fillna(False).astype(bool)].assign(__mark="*")
    stars = (
        alt.Chart(hidden)
        .mark_text(fontSize=11, fontWeight="bold", color="#0b0c0c", baseline="middle")
        .encode(**position, text="__mark:N")
    )
    return _svg(alt.layer(cells, stars))

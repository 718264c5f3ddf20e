"""Write the Strategic Needs Assessment: a self-contained HTML file (no CDN, opens offline) and its PDF.

Every figure comes from the measure engine, the analysis and quality modules: the same functions as the
CLI, so the report and `vrhub measures` cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from vrhub.analysis.hotmap import map_svg
from vrhub.analysis.series import monthly_trend
from vrhub.config import FORCE_CODE
from vrhub.definitions import describe, exclusion_effect, get_definition
from vrhub.measures import MeasureRequest, compute, load_catalogue
from vrhub.quality.recording import recording_changes, touching
from vrhub.reports import charts, parts, sections
from vrhub.reports.comparisons import Rows, compared, force_rows
from vrhub.reports.coverage import Coverage, coverage, report_year
from vrhub.reports.document import write_document
from vrhub.reports.public import public_copy
from vrhub.reports.published import figures, self_disagreements
from vrhub.reports.reproduction import checks, index
from vrhub.reports.strategy_tables import HEADINGS, YEARS, strategy_table
from vrhub.reports.summary import KeyMessages, key_messages, latest_changes
from vrhub.stats.wording import WHEELER_NOTE, format_change, format_p, format_wheeler
from vrhub.warehouse import Warehouse
from vrhub.warehouse.areas import boroughs
from vrhub.warehouse.history import snapshot

# The page footer's marking: short enough for the footer's width, whole words (the full marking heads page 1).
FOOTERS = {
    "partner": "OFFICIAL-SENSITIVE: for partnership use only",
    "public": "OFFICIAL: for publication (small numbers rounded or suppressed, see page 1)",
}
MARKINGS = {
    "partner": "OFFICIAL-SENSITIVE: for partnership use only",
    "public": "OFFICIAL: for publication. Figures below Merseyside level are rounded to the nearest 5; "
    "'*' marks a count of 1 to 7 or a figure hidden beside one; Merseyside-wide counts under 10 read "
    "'fewer than 10', and no change is read off them",
}


@dataclass(frozen=True)
class Report:
    html: Path
    pdf: Path | None
    checks_failed: int


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("vrhub.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
    )


def _year_label(when: Any) -> str:
    """The report's year as headings give it: '2021', or '2019 (September to December only)'."""
    if when.year is None:
        return "no data loaded"
    if when.whole:
        return str(when.year)
    months = sorted({m for ms in when.months.values() for m in ms})
    first, last = (pd.Period(m, freq="M").strftime("%B") for m in (months[0], months[-1]))
    span = first if first == last else f"{first} to {last}"
    return f"{when.year} ({span} only: no source holds a whole year)"


def _main_measure(found: list[Coverage]) -> str:
    """The offence count the trend, places and hot spot sections show: police recorded crime where it is
    loaded, else the police.uk proxy (public street-level data), so a police.uk-only hub is not blank."""
    loaded = {c.source for c in found if c.loaded}
    if "police_records" not in loaded and "police_uk_crimes" in loaded:
        return "police_uk_sv_proxy"
    return "local_sv_offences"


def _quality(wh: Warehouse) -> pd.DataFrame:
    from vrhub.quality import check_quality

    findings = check_quality(wh).findings
    return findings[findings["severity"] != "info"]


def _agencies(wh: Warehouse, catalogue: Any, partial: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Each agency's yearly count, a part year marked with its months of data (and not to be compared)."""
    table = sections.agencies(wh, catalogue)
    source = {
        title: catalogue.get(m).source
        for m, title in sections.AGENCY_MEASURES.items()
        if m in catalogue.measures
    }
    years = [c for c in table.columns if c != "agency"]
    rows = [
        {
            "agency": r["agency"],
            "cells": [
                {
                    "value": r[y],
                    "months": parts.months(partial, source.get(r["agency"], ""), y)
                    if parts.is_part(partial, source.get(r["agency"], ""), y)
                    else None,
                }
                for y in years
            ],
        }
        for r in table.to_dict("records")
    ]
    return {"years": years, "rows": rows}


def _hotspots(wh: Warehouse, year: str | None, measure: str) -> Any:
    from vrhub.analysis.hotspots import find_hotspots

    if year is None:
        return None
    try:
        return find_hotspots(wh, measure=measure, start=f"{year}-01", end=f"{year}-12")
    except Exception:  # no located records in that year: the section says so instead
        return None


def quality_notes(quality: pd.DataFrame, catalogue: Any, measure_ids: list[str]) -> dict[str, list[str]]:
    """Quality findings beside the figures they affect: those about a measure's source in the years shown."""
    from vrhub.sources import SOURCES

    table_of = {spec.name: spec.table for spec in SOURCES.values()}
    shown = quality[quality["month"].fillna("").str[:4].isin(YEARS)]
    notes: dict[str, list[str]] = {}
    for measure_id in measure_ids:
        source = catalogue.get(measure_id).source
        notes[measure_id] = [
            m
            for src, m in zip(shown["source"], shown["message"], strict=True)
            if table_of.get(src, src) == source
        ]
    return notes


def _cardiff(wh: Warehouse, catalogue: Any, year: str | None) -> dict[str, float] | None:
    """The share of ED assault attendances the police were never told of, where the ED recorded it."""
    if year is None:
        return None
    ids = ["ed_assaults_unknown_to_police", "ed_assaults_police_informed_recorded"]
    df = compute(
        wh, catalogue, MeasureRequest(measures=ids, period="year", area=FORCE_CODE)
    ).table.to_pandas()
    df = df[(df["period"] == year) & (df["breakdown"] == "")].set_index("measure_id")["value"]
    unknown, recorded = df.get(ids[0]), df.get(ids[1])
    if not recorded:
        return None
    return {
        "unknown": float(unknown or 0),
        "recorded": float(recorded),
        "share": 100 * float(unknown or 0) / recorded,
    }


NUMBERS = [
    *("value", "rate_ratio", "ci_low", "ci_high", "p_value", "wheeler_z"),
    *(f"{c}_vs_baseline" for c in ("rate_ratio", "ci_low", "ci_high", "p_value")),
]


def _stats(rows: Rows, catalogue: Any, ids: list[str], year: str | None, changes: list) -> pd.DataFrame:
    """The change statistics table: each strategy measure's `year` against the year before and the baseline,
    the engine's row as it compared them (like for like where the two years hold different calendar months,
    said in `compared_previous` and `compared_baseline`), with whether a recording change falls between."""
    found = [rows[(m, year)] for m in ids if year is not None and (m, year) in rows]
    if not found:
        return pd.DataFrame(columns=["measure_id", "value", "rate_ratio"])
    stats = pd.DataFrame(found).reset_index(drop=True)
    for column in NUMBERS:  # a blank figure is NaN, as the template's tests of it expect, never None
        stats[column] = pd.to_numeric(stats[column], errors="coerce")
    stats["small_count"] = stats["small_count"].fillna(False).astype(bool)
    before = str(int(str(year)) - 1)
    for name, against, baseline in (
        ("previous", [before] * len(stats), False),
        ("baseline", [str(catalogue.get(m).baseline) for m in stats["measure_id"]], True),
    ):
        said = [compared(r, a, baseline) for r, a in zip(found, against, strict=True)]
        stats[f"pct_{name}"] = [c.pct for c in said]
        stats[f"compared_{name}"] = [
            f"{year} against {c.against}: "
            + (
                f"like for like, on {c.like_for_like}"
                if c.like_for_like
                else f"cannot be compared, {c.blank}"
            )
            if c.like_for_like or c.blank
            else ""
            for c in said
        ]
        stats[f"recording_{name}"] = [
            bool(touching(changes, catalogue.get(m), a, str(year)))
            for m, a in zip(stats["measure_id"], against, strict=True)
        ]
    return stats


# The definitions section: the reading Table 2's totals take, then the appendix's definition beside it.
REPORTED_DEFINITIONS = ("merseyside_offence_groups", "merseyside_local")


def _definitions(wh: Warehouse) -> list[dict[str, Any]]:
    """Each definition in words and codes and, where it excludes records, how many crimes a year that
    removes (the local definition leaves out domestic abuse)."""
    found = []
    for name in REPORTED_DEFINITIONS:
        definition = get_definition(name)
        effect = []
        if definition.exclude_flags:
            table = wh.table(definition.applies_to)
            effect = wh.to_arrow(exclusion_effect(definition, table)).to_pylist()
        found.append(
            {
                "title": definition.title,
                "text": describe(definition),
                "exclude_flags": list(definition.exclude_flags),
                "effect": effect,
            }
        )
    return found


def gather(wh: Warehouse) -> dict[str, Any]:
    """Everything the report shows, as plain data (the public edition is made from this by `public_copy`)."""
    catalogue = load_catalogue()
    result = compute(wh, catalogue, MeasureRequest(period="year"))
    values = index(result.table.to_pylist())
    indicator_ids = [m.id for m in catalogue.measures.values() if m.source == "indicators"]
    indicators = compute(wh, catalogue, MeasureRequest(measures=indicator_ids))
    values.update(index(indicators.table.to_pylist()))
    found = coverage(wh)
    when = report_year(found)
    year = when.year
    main = _main_measure(found)
    strategy_ids = list(dict.fromkeys(f.measure_id for f in figures() if f.table in ("table1", "table2")))
    monthly = sections.monthly(wh, catalogue, main)
    hot = _hotspots(wh, year, main)
    quality = _quality(wh)
    changes = recording_changes(quality)
    partial = result.partial
    rows = force_rows([*result.table.to_pylist(), *indicators.table.to_pylist()])
    summary = latest_changes(rows, catalogue, strategy_ids, year, changes) if year else []
    if year:
        messages = key_messages(rows, catalogue, strategy_ids, year, changes)
        missing = [c.title for c in found if not c.loaded]
        if missing:
            messages = KeyMessages(
                messages.sentences,
                [
                    f"Not loaded: {', '.join(missing)}; the figures counted from them are blank.",
                    *messages.caveats,
                ],
            )
    else:
        messages = KeyMessages(
            [
                "Nothing is loaded yet: no source holds any records, so there is nothing to "
                "report. Load data with vrhub ingest."
            ],
            [],
        )
    return {
        "year": year,
        "year_label": _year_label(when),
        "report_year": when,
        "coverage": found,
        "main_measure": main,
        "values": values,
        "partial": partial,
        "summary": summary,
        "key_messages": messages,
        "tables": [
            {
                "caption": "Table 1: Home Office success measures",
                "rows": strategy_table("table1", values, catalogue, partial, changes, rows),
            },
            {
                "caption": "Table 2: local success measures",
                "rows": strategy_table("table2", values, catalogue, partial, changes, rows),
            },
        ],
        "stats": _stats(rows, catalogue, strategy_ids, year, changes),
        "monthly": monthly,
        "definitions": _definitions(wh),
        "trend": monthly_trend(wh, catalogue, main),
        "people": sections.people(wh, catalogue, year),
        "places": sections.places(wh, catalogue, main, year),
        "population": sections.population(wh, year),
        "hotspots": hot,
        "times": sections.hour_by_weekday(wh, year),
        "weapons": sections.weapons(wh, catalogue),
        "agencies": _agencies(wh, catalogue, partial),
        "cardiff": _cardiff(wh, catalogue, year),
        "quality": quality,
        "notes": quality_notes(quality, catalogue, strategy_ids),
        "checks": checks(values, partial, rows),
        "loads": wh.to_arrow(wh.table("loads").order_by("load_id")).to_pylist(),
        "catalogue": catalogue,
        "snapshot": snapshot(wh),
        "borough_names": _borough_names(wh),
    }


def _borough_names(wh: Warehouse) -> dict[str, str]:
    """Borough names by code, from the loaded area lookup: readers know Knowsley, not E08000011."""
    table = boroughs(wh)
    return dict(zip(table["lad_code"].to_pylist(), table["lad_name"].to_pylist(), strict=True))


UNIT_WORDS = {
    "victim_incidents": "victim incidents (each victim once per crime)",
    "suspect_incidents": "suspect incidents (each suspect once per crime)",
}
SUPPRESSED_NOTE = "* suppressed to protect a small number (a count of 1 to 7, or a cell hidden beside one)"


def what_it_counts(catalogue: Any, measure_id: str, found: list[Coverage]) -> list[str]:
    """A figure's footnote lines: what one unit is (the definition and its version), and its source with
    the months that source covers."""
    if measure_id not in catalogue.measures:
        return []
    m = catalogue.get(measure_id)
    unit = UNIT_WORDS.get(m.unit, m.unit.replace("_", " "))
    counts = f"Counts {unit}"
    if m.definition:
        counts += f" meeting the {get_definition(m.definition).title} ({m.definition_version})"
    counts += f"; measure {m.id}."
    source = next((c for c in found if c.source == m.source), None)
    origin = source.title if source else m.source.replace("_", " ")
    covered = f", {source.text}" if source else ""
    return [counts, f"Source: {origin}{covered}."]


def _charts(data: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    catalogue, cov, year = data["catalogue"], data["coverage"], data["year"]
    main = data["main_measure"]
    main_title = _name(catalogue, main)
    main_unit = catalogue.get(main).unit.replace("_", " ")
    main_notes = what_it_counts(catalogue, main, cov)
    monthly = data["monthly"]
    if not monthly.empty:
        force = monthly[monthly["area_code"] == FORCE_CODE]
        found["trend"] = charts.line(
            force,
            "month",
            "value",
            None,
            f"{main_title}, Merseyside, by month",
            y_title=f"{main_unit.capitalize()} a month",
            notes=main_notes,
        )
        boroughs = monthly[monthly["area_code"] != FORCE_CODE]
        if not boroughs.empty:  # the public edition publishes boroughs by year only
            found["boroughs"] = charts.line(
                boroughs,
                "month",
                "value",
                "area_name",
                f"{main_title}, by borough, by month",
                y_title=f"{main_unit.capitalize()} a month",
                notes=main_notes,
            )
    rolling = data["trend"].table
    if not rolling.empty:
        frame = rolling.assign(month=pd.to_datetime(rolling["month"] + "-01")).dropna(
            subset=["rolling_12_months"]
        )
        if not frame.empty:
            found["rolling"] = charts.line(
                frame,
                "month",
                "rolling_12_months",
                None,
                f"{main_title}, Merseyside: 12-month rolling total",
                y_title=f"{main_unit.capitalize()} in the 12 months to the month",
                notes=main_notes,
            )
    people = data["people"]
    if "suppressed" not in people:
        people = people.assign(suppressed=False)
    people = people[people["value"].notna() | people["suppressed"]]
    if not people.empty and year:
        ages = people[people["dimension"] == "age_band"]
        found["people"] = charts.bars(
            ages,
            "group",
            "value",
            f"Victims and suspects of serious violence by age band, Merseyside, {data['year_label']}",
            colour="who",
            horizontal=False,
            width=520,
            height=220,
            sort=["0-9", "10-17", "18-24", "25-34", "35-49", "50-64", "65+", "unknown"],
            notes=[
                *what_it_counts(catalogue, "local_sv_victims", cov)[:1],
                "Suspects: the same definition, each suspect once per crime. Table 2 counts the strategy's "
                "offence groups instead (far more offences).",
                *what_it_counts(catalogue, "local_sv_victims", cov)[1:],
                SUPPRESSED_NOTE if people["suppressed"].any() else "",
            ],
            value_title="Victim or suspect incidents",
            category_title="Age band",
            flag="suppressed",
        )
    times = data["times"]
    if "suppressed" not in times:
        times = times.assign(suppressed=False)
    times = times[times["n"].notna() | times["suppressed"]]
    if not times.empty:
        found["times"] = charts.heatmap(
            times,
            "hour",
            "weekday",
            "n",
            f"ED assault attendances by hour and weekday, Merseyside, {data['year_label']}",
            x_sort=list(range(24)),
            y_sort=sections.WEEKDAYS,
            notes=[
                "Counts ED attendances for assault, by the hour of the assault; a blank cell: none.",
                *what_it_counts(catalogue, "ed_assault_attendances", cov)[1:],
                SUPPRESSED_NOTE if times["suppressed"].any() else "",
            ],
            count_title="Attendances",
            flag="suppressed",
        )
    seasonal = data["trend"].seasonal
    if not seasonal.empty:
        months = seasonal.reset_index().assign(
            month_name=lambda d: pd.to_datetime(d["month"].astype(str), format="%m").dt.strftime("%b")
        )
        found["seasons"] = charts.bars(
            months,
            "month_name",
            "seasonal_index",
            f"Seasonal pattern: {main_title} (1 = an average month)",
            horizontal=False,
            width=520,
            height=180,
            sort=list(months["month_name"]),
            notes=main_notes,
            value_title="Seasonal index",
            category_title="Month",
        )
    weapons = data["weapons"]
    if "suppressed" not in weapons:
        weapons = weapons.assign(suppressed=False)
    shown_years = [y for y in ("2020", "2021") if y in set(weapons["period"])]
    weapons = weapons[
        weapons["period"].isin(shown_years) & (weapons["value"].notna() | weapons["suppressed"])
    ]
    if not weapons.empty:
        found["weapons"] = charts.bars(
            weapons,
            "method",
            "value",
            f"ED assault attendances by weapon or method, Merseyside, {' and '.join(shown_years)}",
            colour="period",
            notes=[
                *what_it_counts(catalogue, "ed_weapon_change_2021", cov),
                SUPPRESSED_NOTE if weapons["suppressed"].any() else "",
            ],
            value_title="Attendances in the year",
            flag="suppressed",
        )
    if data["hotspots"] is not None:
        found["hotmap"] = _map(data["hotspots"])
    return found


def _map(hot: Any) -> str:
    """The hot spot map with its title wrapped at word boundaries rather than cut at the chart's width."""
    import textwrap

    import vl_convert as vlc

    from vrhub.analysis.hotmap import map_spec

    spec = map_spec(hot)
    title = spec.get("title")
    if isinstance(title, dict) and isinstance(title.get("text"), list):
        lines: list[str] = []
        for line in title["text"]:
            lines += textwrap.wrap(str(line), 70) or [""]
        title["text"] = lines
        return str(vlc.vegalite_to_svg(spec))
    return map_svg(hot)


def write_report(
    wh: Warehouse, out_dir: Path, edition: str = "partner", definitions_version: str = "", pdf: bool = True
) -> Report:
    data = gather(wh)
    if edition == "public":
        data = public_copy(data)
    found = data["checks"]
    catalogue = data["catalogue"]
    caveats = [
        f"{source.replace('_', ' ')} covers only {months} month(s) of {period}: every figure for {period} is "
        f"marked as a part year, and every change against it compares the average month, not the totals."
        for source, partial in data["partial"].items()
        for period, months in sorted(partial.items())
    ]
    if data["cardiff"] is None:
        caveats.append(
            "The share of ED assault attendances never seen by police (a Cardiff Model measure) needs "
            "the ED extract's police_informed field; none was loaded, so it is not shown."
        )
    caveats += [
        "The strategy's 2019 changes against 2018 compared a whole 2019 with April-December 2018; section 11 "
        "reproduces them as published and gives the like-for-like change (April to December of both) "
        "beside them.",
        "Rate ratios compare counts over the same calendar months (populations change by well under 1% a "
        "year); p-values are from the exact conditional test for two Poisson counts. Counts under 10 are "
        f"too small to read as a trend. {WHEELER_NOTE}.",
    ]
    html = (
        _environment()
        .get_template("report.html.j2")
        .render(
            title="Merseyside serious violence: Strategic Needs Assessment",
            edition=edition,
            marking=MARKINGS[edition],
            footer_marking=FOOTERS[edition],
            loaded_sources=[c.title for c in data["coverage"] if c.loaded],
            not_loaded_sources=[c.title for c in data["coverage"] if not c.loaded],
            main_source_title=next(
                (c.title for c in data["coverage"] if c.source == catalogue.get(data["main_measure"]).source),
                "offences",
            ),
            main_unit=catalogue.get(data["main_measure"]).unit.replace("_", " "),
            main_counts=what_it_counts(catalogue, data["main_measure"], data["coverage"]),
            people_counts=what_it_counts(catalogue, "local_sv_victims", data["coverage"])[:1],
            people_definition=_definition_named(catalogue, "local_sv_victims"),
            suppressed_note=SUPPRESSED_NOTE,
            force_code=FORCE_CODE,
            **_reconcile(data["places"]),
            generated=dt.datetime.now().strftime("%d %B %Y %H:%M"),
            version=metadata.version("vrhub"),
            warehouse=Path(wh.url).name,
            headings=HEADINGS,
            years=YEARS,
            disagreements=self_disagreements(),
            charts=_charts(data),
            checks_ok=sum(c.ok for c in found),
            checks_contradictory=sum(c.self_contradictory and not c.ok and not _not_loaded(c) for c in found),
            checks_failed=sum(_differs(c) for c in found),
            checks_missing=sum(_not_loaded(c) for c in found),
            not_loaded=_not_loaded,
            caveats=caveats,
            definitions_version=definitions_version,
            catalogue_version=f"catalogue@{catalogue.sha256[:8]}",
            fmt=_fmt,
            change=format_change,
            p_text=format_p,
            wheeler=format_wheeler,
            wheeler_note=WHEELER_NOTE,
            part_label=parts.label,
            name=lambda measure_id: _name(catalogue, measure_id),
            hot_rows=_hot_rows(data["hotspots"], data["borough_names"]),
            **data,
        )
    )
    written = write_document(html, out_dir / f"vrhub-report-{edition}.html", pdf=pdf)
    return Report(written.html, written.pdf, sum(_differs(c) for c in found))


def _definition_named(catalogue: Any, measure_id: str) -> str:
    measure = catalogue.get(measure_id)
    if not measure.definition:
        return measure.title
    return f"{get_definition(measure.definition).title} ({measure.definition_version})"


def _reconcile(places: pd.DataFrame) -> dict[str, float | None]:
    """What the boroughs add up to and the force's records in no borough (no location, or outside them):
    the force total is more than its boroughs' sum by exactly these."""
    if places.empty:
        return {"no_borough": None, "borough_sum": None}
    values = pd.to_numeric(places["value"], errors="coerce")
    force = values[places["area_code"] == FORCE_CODE]
    boroughs_ = values[places["area_code"] != FORCE_CODE]
    if force.empty or boroughs_.isna().any():  # a hidden borough: its share is not to be worked out
        return {"no_borough": None, "borough_sum": None}
    total = float(boroughs_.sum())
    return {"no_borough": float(force.iloc[0]) - total, "borough_sum": total}


def _not_loaded(check: Any) -> bool:
    """A figure the data cannot give (its source or year is not loaded): not a disagreement."""
    return not check.ok and check.computed in ("missing", "n/a")


def _differs(check: Any) -> bool:
    return not check.ok and not check.self_contradictory and not _not_loaded(check)


def _name(catalogue: Any, measure_id: str) -> str:
    """A measure as readers know it: its title, not its id."""
    return catalogue.get(measure_id).title if measure_id in catalogue.measures else measure_id


def _hot_rows(hot: Any, names: dict[str, str]) -> list[dict[str, Any]]:
    """Every hot spot, strongest first, with its borough's name: the whole list, not the first few LSOAs."""
    if hot is None:
        return []
    table = hot.table[hot.table["hot"]].sort_values("gi_z", ascending=False)
    return [
        {**r, "borough": names.get(r["lad_code"], r["lad_code"]), "pattern": r.get("class") or ""}
        for r in table.to_dict("records")
    ]


def _fmt(value: Any, digits: int = 0) -> str:
    """Numbers for people: thousands separators, '*' and blanks passed through."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        return value
    return f"{value:,.{digits}f}"

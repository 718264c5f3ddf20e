"""Write the report: a self-contained HTML file (no CDN, opens offline) in the data folder's reports/."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import jinja2

from vrhub.definitions import describe, get_definition
from vrhub.measures import MeasureRequest, compute, load_catalogue
from vrhub.reports.published import self_disagreements
from vrhub.reports.reproduction import checks, index
from vrhub.reports.strategy_tables import HEADINGS, YEARS, strategy_table
from vrhub.warehouse import Warehouse

MARKINGS = {"partner": "OFFICIAL-SENSITIVE: for partnership use only",
            "public": "OFFICIAL: for publication"}


@dataclass(frozen=True)
class Report:
    html: Path
    checks_failed: int


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("vrhub.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
    )


def write_report(wh: Warehouse, out_dir: Path, edition: str = "partner", definitions_version: str = "") -> Report:
    catalogue = load_catalogue()
    result = compute(wh, catalogue, MeasureRequest(period="year"))
    values = index(result.table.to_pylist())
    # Indicators are reported for their own periods (2019/20, 2020-03); add them at their own labels.
    natural = compute(wh, catalogue, MeasureRequest(measures=[m.id for m in catalogue.measures.values()
                                                                  if m.source == "indicators"]))
    values.update(index(natural.table.to_pylist()))
    found = checks(values)
    tables = [
        {"caption": "Table 1: Home Office success measures",
         "rows": strategy_table("table1", values, catalogue, result.partial)},
        {"caption": "Table 2: local success measures",
         "rows": strategy_table("table2", values, catalogue, result.partial)},
    ]
    loads = wh.to_arrow(wh.table("loads").order_by("load_id")).to_pylist()
    caveats = [f"{source} covers only {months} month(s) of {period}; its change against {period} compares unlike periods."
               for source, partial in result.partial.items() for period, months in sorted(partial.items())]
    caveats.append("The strategy's 2019 comparisons with 2018 used April-December 2018 only; so do these.")
    html = _environment().get_template("report.html.j2").render(
        title="Merseyside serious violence: success measures",
        marking=MARKINGS[edition],
        generated=dt.datetime.now().strftime("%d %B %Y %H:%M"),
        version=metadata.version("vrhub"),
        warehouse=wh.url,
        loads=loads,
        disagreements=self_disagreements(),
        tables=tables,
        headings=HEADINGS,
        years=YEARS,
        definition_text=describe(get_definition("merseyside_local")),
        checks=found,
        checks_ok=sum(c.ok for c in found),
        checks_contradictory=sum(c.self_contradictory and not c.ok for c in found),
        checks_failed=sum(not c.ok and not c.self_contradictory for c in found),
        caveats=caveats,
        definitions_version=definitions_version,
        catalogue_version=f"catalogue@{catalogue.sha256[:8]}",
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"vrhub-report-{edition}.html"
    path.write_text(html, encoding="utf-8")
    return Report(path, sum(not c.ok and not c.self_contradictory for c in found))

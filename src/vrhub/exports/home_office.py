"""The Home Office VRU success-measures return as a workbook, from the catalogue's Home Office measures.

Layout (one table, as a return is keyed in): sheet `Success measures` holds one row per measure, grouped by
the Home Office's three success-measure families (hospital admissions for assault with a knife or sharp
object, knife-enabled serious violence, homicide; measures of none of them follow as supporting measures).
Each row gives the measure's id, title, its reading (the Home Office's own definition, or the strategy's
Table 1 reading of it) and unit, the area, then one column per period (years by default; a period with
fewer months of data than it spans says so in its column's name), then the baseline (2019) and its value,
the latest period and value, the change on the baseline in per cent, and notes: the measure's own note
and each period with fewer months of data than it spans. The figures are exactly `vrhub measures`' rows
for the area with no breakdown (the change on the baseline is the engine's, over the calendar months
both periods hold where one is part). Sheet `About` says what the workbook holds: the area, the periods,
when it was made and from which state of the warehouse.

The return holds the strategy's Table 1 rows and, beside them, the Home Office measures as the Home Office
defines them where the strategy reads a measure otherwise: its "knife-enabled serious violence" rows count
possession offences (10D), while the Home Office's measure is offences involving a knife or sharp
instrument (ONS selected offences with the knife flag), `ho_knife_offences`.

One table rather than a sheet per family: the return's figures can then be filtered, sorted and pasted as
one range, and the family column keeps the grouping.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from vrhub import spreadsheet
from vrhub.exports import Export, replacing
from vrhub.measures import Catalogue, MeasureResult

# The strategy's Table 1 is the Home Office success measures.
STRATEGY = "table1"
ADMISSIONS = "Hospital admissions for assault with a knife or sharp object"
KNIFE_SV = "Knife-enabled serious violence"
HOMICIDE = "Homicide"
SUPPORTING = "Supporting measures"
FAMILIES = (ADMISSIONS, KNIFE_SV, HOMICIDE, SUPPORTING)
# Family by family, in the order the return lists them; the Home Office's own measure leads its family.
FAMILY_OF = {
    "ho_sharp_object_admissions": ADMISSIONS,
    "ho_sharp_object_admissions_u25": ADMISSIONS,
    "ho_knife_admissions": ADMISSIONS,
    "ho_knife_admissions_u25": ADMISSIONS,
    "ho_knife_only_admissions_u25": ADMISSIONS,
    "ho_knife_offences": KNIFE_SV,
    "ho_knife_offences_victim_u25": KNIFE_SV,
    "ho_knife_sv": KNIFE_SV,
    "ho_knife_sv_suspect_u25": KNIFE_SV,
    "ho_knife_sv_victim_u25": KNIFE_SV,
    "ho_non_domestic_homicide": HOMICIDE,
    "ho_non_domestic_knife_homicide_u25": HOMICIDE,
}
# Measures counted as the Home Office defines them; the strategy's Table 1 reads the others its own way.
HOME_OFFICE_DEFINED = {
    "ho_sharp_object_admissions",
    "ho_sharp_object_admissions_u25",
    "ho_knife_offences",
    "ho_knife_offences_victim_u25",
}
HOME_OFFICE_READING = "Home Office measure, as the Home Office defines it"
STRATEGY_READING = "The strategy's Table 1 reading (see Notes)"
SHEET = "Success measures"


def measure_ids(catalogue: Catalogue) -> list[str]:
    """The Home Office success measures of the catalogue (the strategy's Table 1 rows and the Home Office's
    own measures), family by family, in FAMILY_OF's order within, then catalogue order."""
    order = list(FAMILY_OF)
    chosen = [m.id for m in catalogue.measures.values() if m.strategy == STRATEGY or m.id in FAMILY_OF]
    return sorted(
        chosen,
        key=lambda i: (
            FAMILIES.index(FAMILY_OF.get(i, SUPPORTING)),
            order.index(i) if i in order else len(order),
        ),
    )


def reading(measure_id: str) -> str:
    return HOME_OFFICE_READING if measure_id in HOME_OFFICE_DEFINED else STRATEGY_READING


def period_labels(rows: pd.DataFrame) -> dict[str, str]:
    """Each period's column name: the period, and for a part period the months of data it holds, so that a
    reader of the figures alone (not only of Notes) sees that it is not a whole period."""
    labels = {}
    for period, months in rows.groupby("period")["months"]:
        part = {int(n) for n in months.dropna() if n < _months_in(period)}
        if not part:
            labels[period] = period
        elif len(part) == 1:
            n = part.pop()
            labels[period] = f"{period} (part: {n} month{'s' if n > 1 else ''} of data)"
        else:
            labels[period] = f"{period} (part: months of data differ by measure, see Notes)"
    return labels


def return_frame(result: MeasureResult, catalogue: Catalogue, area: str) -> pd.DataFrame:
    """The return's table: one row per measure, periods as columns (see the module's docstring)."""
    rows = result.table.to_pandas()
    rows = rows[(rows["area_code"] == area) & (rows["breakdown"] == "")]
    periods = sorted(rows["period"].unique())
    label = period_labels(rows)
    table = []
    for measure_id in measure_ids(catalogue):
        measure = catalogue.get(measure_id)
        mine = rows[rows["measure_id"] == measure_id].set_index("period")
        by_period = {p: (mine.at[p, "value"] if p in mine.index else None) for p in periods}
        columns = {label[p]: value for p, value in by_period.items()}
        latest = mine.index.max() if len(mine) else None
        baseline = next((p for p in periods if p.startswith(str(measure.baseline))), None)
        part = [
            f"{p}: {int(n)} month(s) of data"
            for p, n in mine["months"].items()
            if pd.notna(n) and n < _months_in(p)
        ]
        table.append(
            {
                "Family": FAMILY_OF.get(measure_id, SUPPORTING),
                "Measure id": measure_id,
                "Measure": measure.title,
                "Reading": reading(measure_id),
                "Unit": measure.unit,
                "Area": mine["area_name"].iloc[0] if len(mine) else area,
                **columns,
                "Baseline": baseline,
                "Baseline value": by_period.get(baseline) if baseline else None,
                "Latest period": latest,
                "Latest value": mine.at[latest, "value"] if latest else None,
                "Change on baseline (%)": mine.at[latest, "change_vs_baseline_pct"] if latest else None,
                "Notes": "; ".join(filter(None, [measure.note, *part])),
            }
        )
    return pd.DataFrame(table)


def _months_in(period: str) -> int:
    return 3 if "Q" in period else 1 if len(period) == 7 and period[4] == "-" else 12


def write_return(
    result: MeasureResult, catalogue: Catalogue, area: str, out: Path, area_name: str = ""
) -> Export:
    frame = return_frame(result, catalogue, area)
    snapshot = result.table.column("snapshot")[0].as_py() if result.table.num_rows else "empty"
    about = [
        ("Return", "Home Office VRU success measures"),
        ("Area", f"{area} {area_name}".strip()),
        (
            "Measures",
            f"{len(frame)} (the strategy's Table 1 rows, and the Home Office measures as the Home Office "
            "defines them where the strategy reads them otherwise: see the Reading column)",
        ),
        ("Figures", "as `vrhub measures` gives them: exact counts, no disclosure control (partner use)"),
        ("Warehouse", snapshot),
        ("Made", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("Layout", "one row per measure, grouped by family; periods as columns; baseline, latest, change"),
    ]
    plain = frame.astype(object).where(frame.notna(), None)
    sheets = [
        (SHEET, [str(c) for c in frame.columns], plain.itertuples(index=False)),
        ("About", ["Item", "Value"], about),
    ]
    with replacing(out) as work:
        work.write_bytes(spreadsheet.workbook_bytes(sheets))
    return Export(out, "xlsx", len(frame))

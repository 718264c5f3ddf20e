"""Table 1 (Home Office success measures) and Table 2 (local measures) laid out as the strategy lays them
out: a row per measure, a column per year, each cell the figure and its change, computed."""

from __future__ import annotations

from dataclasses import dataclass

from vrhub.config import FORCE_CODE
from vrhub.measures import periods
from vrhub.measures.catalogue import Catalogue
from vrhub.reports.published import figures, pct
from vrhub.reports.reproduction import Values

YEARS = ("2019", "2020", "2021")
HEADINGS = {"2019": "2019 baseline", "2020": "2020 (COVID)", "2021": "2021 latest"}


@dataclass(frozen=True)
class Cell:
    period: str
    value: float | None
    unit: str
    change: float | None  # vs the previous period
    against: str
    published: float | None

    @property
    def text(self) -> str:
        if self.value is None:
            return "Data not yet available"
        shown = f"{self.value:,.10g}%" if self.unit == "percent" else f"n={self.value:,.10g}"
        return shown if self.period in YEARS else f"{self.period}: {shown}"

    @property
    def change_text(self) -> str:
        if self.change is None:
            return ""
        if round(self.change) == 0:
            return f"no change from {self.against}"
        word = "increase" if self.change > 0 else "reduction"
        return f"{abs(self.change):.0f}% {word} from {self.against}"

    @property
    def differs(self) -> bool:
        return self.published is not None and self.value != self.published


@dataclass(frozen=True)
class Row:
    measure_id: str
    title: str
    cells: dict[str, Cell]


def _column(period: str) -> str:
    """The year column the strategy puts a figure in: a financial or academic year under its first year,
    a month under the financial year it falls in (March 2020 is 2019/20)."""
    if periods.kind_of(period) == "month":
        year, month = periods.year_of(period), int(period[5:7])
        return str(year - 1 if month <= 3 else year)
    return period[:4]


def strategy_table(
    table: str, values: Values, catalogue: Catalogue, partial: dict[str, dict[str, int]] | None = None
) -> list[Row]:
    published = {(f.measure_id, f.period): f.value for f in figures()}
    rows = []
    for measure_id in dict.fromkeys(f.measure_id for f in figures() if f.table == table):
        measure = catalogue.get(measure_id)
        short = (partial or {}).get(measure.source, {})
        own = sorted({p for (m, p, a, b) in values if m == measure_id and a == FORCE_CODE and not b})
        cells = {}
        for column in YEARS:
            period = (
                column
                if measure.source != "indicators"
                else next((p for p in own if _column(p) == column), column)
            )
            value = values.get((measure_id, period, FORCE_CODE, ""))
            against = periods.previous(period) if periods.kind_of(period) else ""
            old = values.get((measure_id, against, FORCE_CODE, ""))
            change = pct(value, old) if value is not None and old is not None else None
            label = f"{against} ({short[against]} months only)" if against in short else against
            cells[column] = Cell(
                period, value, measure.unit, change, label, published.get((measure_id, period))
            )
        rows.append(Row(measure_id, measure.title, cells))
    return rows

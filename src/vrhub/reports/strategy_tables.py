"""Table 1 (Home Office success measures) and Table 2 (local measures) laid out as the strategy lays them
out: a row per measure, a column per year, each cell the count and its change, computed."""

from __future__ import annotations

from dataclasses import dataclass

from vrhub.config import FORCE_CODE
from vrhub.measures.catalogue import Catalogue
from vrhub.reports.published import figures, pct
from vrhub.reports.reproduction import Values

YEARS = ("2019", "2020", "2021")
HEADINGS = {"2019": "2019 baseline", "2020": "2020 (COVID)", "2021": "2021 latest"}


@dataclass(frozen=True)
class Cell:
    value: float | None
    change: float | None  # vs the previous period
    against: str
    published: float | None

    @property
    def text(self) -> str:
        if self.value is None:
            return "Data not yet available"
        return f"n={self.value:,.10g}"

    @property
    def change_text(self) -> str:
        if self.change is None:
            return ""
        word = "increase" if self.change > 0 else "reduction" if self.change < 0 else "no change"
        return f"{abs(self.change):.0f}% {word} from {self.against}" if self.change else f"no change from {self.against}"

    @property
    def differs(self) -> bool:
        return self.published is not None and self.value != self.published


@dataclass(frozen=True)
class Row:
    measure_id: str
    title: str
    cells: dict[str, Cell]


def _periods_for(measure_id: str) -> list[str]:
    own = sorted({f.period for f in figures() if f.measure_id == measure_id})
    return own if any("/" in p or "-" in p for p in own) else list(YEARS)


def strategy_table(table: str, values: Values, catalogue: Catalogue) -> list[Row]:
    published = {(f.measure_id, f.period): f.value for f in figures()}
    rows = []
    for measure_id in dict.fromkeys(f.measure_id for f in figures() if f.table == table):
        cells = {}
        for period in _periods_for(measure_id):
            value = values.get((measure_id, period, FORCE_CODE, ""))
            against = str(int(period) - 1) if period.isdigit() else ""
            old = values.get((measure_id, against, FORCE_CODE, ""))
            change = pct(value, old) if value is not None and old is not None else None
            cells[period] = Cell(value, change, against, published.get((measure_id, period)))
        rows.append(Row(measure_id, catalogue.get(measure_id).title, cells))
    return rows

"""What each source holds: the months it covers (first, last, gaps), so the report can say what is loaded,
choose the year it reports on from the data rather than assume one, and say so where nothing is."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from vrhub.measures.catalogue import EVENT_DATE
from vrhub.stats.months import gap_text, month_gaps
from vrhub.warehouse import Warehouse

# The sources as the report names them (one record of each).
SOURCE_TITLES = {
    "police_records": "Police recorded crime",
    "police_uk_crimes": "police.uk street-level crimes",
    "ed_attendances": "Emergency department assault attendances",
    "hospital_admissions": "Hospital admissions",
    "ambulance_callouts": "Ambulance call-outs",
    "fire_incidents": "Fire and rescue incidents",
}


@dataclass(frozen=True)
class Coverage:
    source: str
    title: str
    rows: int
    months: tuple[str, ...] = ()  # 'YYYY-MM', sorted

    @property
    def loaded(self) -> bool:
        return self.rows > 0

    @property
    def first(self) -> str:
        return self.months[0] if self.months else ""

    @property
    def last(self) -> str:
        return self.months[-1] if self.months else ""

    @property
    def gaps(self) -> list[str]:
        """Runs of missing months between the first and the last, as '2014-05 to 2019-08 (64 months)'
        (the rule `vrhub quality` and `vrhub trends` use)."""
        return [gap_text(gap) for gap in month_gaps(self.months)]

    def whole_years(self) -> list[str]:
        years = pd.Series([m[:4] for m in self.months]).value_counts()
        return sorted(y for y, n in years.items() if n == 12)

    def months_in(self, year: str) -> list[str]:
        return [m for m in self.months if m.startswith(year)]

    @property
    def text(self) -> str:
        """The months covered in words: 'April 2018 to December 2021 (45 months)', gaps named."""
        if not self.loaded:
            return "not loaded"
        said = f"{_month(self.first)} to {_month(self.last)} ({len(self.months)} month"
        said += "s)" if len(self.months) != 1 else ")"
        if self.gaps:
            said += "; no data for " + ", ".join(self.gaps)
        return said


def _month(m: str) -> str:
    return pd.Period(m, freq="M").strftime("%B %Y")


def coverage(wh: Warehouse) -> list[Coverage]:
    """Every event source the report can show, loaded or not, with the months its records fall in."""
    found = []
    for source, column in EVENT_DATE.items():
        title = SOURCE_TITLES.get(source, source.replace("_", " "))
        if not wh.has_table(source):
            found.append(Coverage(source, title, 0))
            continue
        t = wh.table(source)
        t = t.filter(t[column].notnull())
        grouped = t.group_by(month=t[column].cast("date").truncate("M")).aggregate(n=t.count())
        df = wh.to_arrow(grouped).to_pandas()
        rows = int(df["n"].sum()) if not df.empty else 0
        months = tuple(sorted(pd.to_datetime(df["month"]).dt.strftime("%Y-%m")))
        found.append(Coverage(source, title, rows, months))
    return found


@dataclass(frozen=True)
class ReportYear:
    """The year the report is about: the latest whole calendar year any loaded source holds. Where none
    holds a whole year, the latest year with any data, marked as not whole (`months` says which months)."""

    year: str | None
    whole: bool
    months: dict[str, list[str]] = field(default_factory=dict)  # source -> its months in `year`

    @property
    def label(self) -> str:
        if self.year is None:
            return "no data loaded"
        return self.year if self.whole else f"{self.year} (part year)"


def report_year(found: list[Coverage]) -> ReportYear:
    loaded = [c for c in found if c.loaded]
    whole = sorted({y for c in loaded for y in c.whole_years()})
    if whole:
        year = whole[-1]
        return ReportYear(year, True, {c.source: c.months_in(year) for c in loaded if c.months_in(year)})
    years = sorted({m[:4] for c in loaded for m in c.months})
    if not years:
        return ReportYear(None, False)
    year = years[-1]
    return ReportYear(year, False, {c.source: c.months_in(year) for c in loaded if c.months_in(year)})

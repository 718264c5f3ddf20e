"""Table 1 (Home Office success measures) and Table 2 (local measures) laid out as the strategy lays them
out: a row per measure, a column per year, each cell the figure and its change, computed.

Each change is the measures engine's (`vrhub measures`, its CSV and the API give the same): against a part
period (the demo's 2018 is April to December) it compares the calendar months both periods hold, like for
like, and says so; where they hold none in common it is blank with the reason. A change that a recording
change in the measure's data may explain says that too.
"""

from __future__ import annotations

from dataclasses import dataclass

from vrhub.config import FORCE_CODE
from vrhub.measures import periods
from vrhub.measures.catalogue import Catalogue, Measure
from vrhub.quality.recording import RecordingChange, touching
from vrhub.reports import parts
from vrhub.reports.comparisons import Rows, compared
from vrhub.reports.published import figures
from vrhub.reports.reproduction import Values
from vrhub.stats.change import SMALL_COUNT
from vrhub.stats.wording import change_words

YEARS = ("2019", "2020", "2021")
HEADINGS = {"2019": "2019 baseline", "2020": "2020 (COVID)", "2021": "2021 latest"}


@dataclass(frozen=True)
class Cell:
    period: str
    value: float | None
    unit: str
    change: float | None  # vs the previous period, the engine's (like for like where the months differ)
    against: str
    published: float | None
    months: int | None = None  # of data in this period, where it is a part period
    like_for_like: str | None = None  # the months compared where the periods hold different ones
    recording_change: bool = False  # a recording change between the two periods may explain the change
    small: bool = False  # public edition: a count under SMALL_COUNT, not shown exactly

    @property
    def text(self) -> str:
        if self.value is None:
            return "Data not yet available"
        if self.small:
            return f"fewer than {SMALL_COUNT}"
        shown = f"{self.value:,.10g}%" if self.unit == "percent" else f"n={self.value:,.10g}"
        if self.months is not None:
            shown += f" ({self.months} months of data)"
        return shown if self.period in YEARS else f"{self.period}: {shown}"

    @property
    def change_text(self) -> str:
        if self.change is None:
            return ""
        text = change_words(self.change, self.against)
        if self.like_for_like:
            text += f", like for like ({self.like_for_like})"
        if self.recording_change:
            text += " (may be a recording change: see the data-quality note)"
        return text

    @property
    def differs(self) -> bool:
        return self.published is not None and self.value != self.published


@dataclass(frozen=True)
class Row:
    measure_id: str
    title: str
    cells: dict[str, Cell]
    note: str = ""  # what the figure counts where the strategy's wording is ambiguous (Measure.note)
    counts: str = ""  # what one unit of the figure is, from the catalogue entry


def _column(period: str) -> str:
    """The year column the strategy puts a figure in: a financial or academic year under its first year,
    a month under the financial year it falls in (March 2020 is 2019/20)."""
    if periods.kind_of(period) == "month":
        year, month = periods.year_of(period), int(period[5:7])
        return str(year - 1 if month <= 3 else year)
    return period[:4]


# What one record of each source is, and the date it is counted by.
SOURCE_WORDS = {
    "police_records": ("police recorded crimes", "the date committed"),
    "police_uk_crimes": ("police.uk street-level crimes", "the month published"),
    "ed_attendances": ("emergency department (ED) attendances for assault", "the date of the assault"),
    "hospital_admissions": ("hospital admissions", "the date of admission"),
    "ambulance_callouts": ("ambulance call-outs", "the date of the call"),
    "fire_incidents": ("fire and rescue incidents", "the date of the incident"),
}
COMPARE = {"lt": "under", "le": "at most", "gt": "over", "ge": "at least", "ne": "not"}


def _filter(column: str, rule: object) -> str:
    """One `where` rule in words: {age: {lt: 25}} -> aged under 25; {domestic: false} -> not domestic."""
    name = column.replace("_", " ")
    if isinstance(rule, bool):
        return f"{name} flagged" if rule else f"not {name}"
    if isinstance(rule, dict):
        name = "aged" if column == "age" else name
        return " and ".join(f"{name} {COMPARE.get(k, k)} {v}" for k, v in rule.items())
    if isinstance(rule, list | tuple):
        return f"{name} " + " or ".join(f"'{str(v).replace('_', ' ')}'" for v in rule)
    return f"{name} '{str(rule).replace('_', ' ')}'"


def counts(measure: Measure) -> str:
    """What one unit of the row's figure is, in words, from its catalogue entry: the source, the unit
    counted, the definition, every filter and who it counts, and the date it is counted by."""
    if measure.source == "indicators":
        unit = measure.unit.replace("_", " ")
        return f"The partner's own figure ({unit}), as reported; not counted from records."
    noun, date = SOURCE_WORDS.get(measure.source, (measure.source.replace("_", " "), "its date"))
    if measure.count == "offences":
        text = "Counts offences in police recorded crime, each crime once"
    elif measure.count == "victim_incidents":
        text = "Counts victims of offences in police recorded crime, each victim once per crime"
    else:
        text = f"Counts {noun}"
    if measure.definition:
        from vrhub.definitions import get_definition

        # With its version: two readings of "serious violence" sit side by side in the report.
        text += f", that meet the {get_definition(measure.definition).title} ({measure.definition_version})"
    rules = [_filter(c, r) for c, r in (measure.where or {}).items()]
    person = measure.person or {}
    if "age_under" in person:
        # The crime counts when at least one person in that role is that young (catalogue.yaml, `person`).
        role = person.get("role", "victim")
        if measure.count == "victim_incidents":
            rules.append(f"{role}s aged under {person['age_under']} only")
        else:
            rules.append(f"at least one {role} aged under {person['age_under']}")
    if rules:
        text += ", with " + "; ".join(rules)
    if measure.split_by:
        text += f", split by {measure.split_by.replace('_', ' ')}"
    return f"{text}; by {date}, in each calendar year."


def strategy_table(
    table: str,
    values: Values,
    catalogue: Catalogue,
    partial: parts.Partial | None = None,
    changes: list[RecordingChange] | None = None,
    rows: Rows | None = None,
) -> list[Row]:
    """The strategy's `table` with vrhub's figures; `rows` are the engine's force-wide rows
    (`comparisons.force_rows`), whose changes the cells show."""
    published = {(f.measure_id, f.period): f.value for f in figures()}
    found = []
    for measure_id in dict.fromkeys(f.measure_id for f in figures() if f.table == table):
        measure = catalogue.get(measure_id)
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
            m_now = parts.months(partial, measure.source, period)
            m_then = parts.months(partial, measure.source, against) if against else None
            row = (rows or {}).get((measure_id, period))
            change = compared(row, against) if row is not None and against and value is not None else None
            touched = bool(touching(changes or [], measure, against, period)) if against else False
            cells[column] = Cell(
                period,
                value,
                measure.unit,
                change.pct if change else None,
                parts.label(against, m_then),
                published.get((measure_id, period)),
                m_now if parts.is_part(partial, measure.source, period) else None,
                change.like_for_like if change else None,
                touched and change is not None and change.pct is not None,
            )
        found.append(Row(measure_id, measure.title, cells, measure.note, counts(measure)))
    return found

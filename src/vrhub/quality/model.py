"""What a quality check says (`Finding`, `QualityReport`), the thresholds it uses, and what it needs to know
about each source (`Profile`): labels for messages, the event date, the categorical columns, the keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from vrhub.errors import UnknownSource
from vrhub.measures.catalogue import EVENT_DATE
from vrhub.sources import SOURCES
from vrhub.sources.spec import SourceSpec
from vrhub.stats.wording import format_p
from vrhub.warehouse.tables import SCHEMAS

SEVERITIES = ("error", "warning", "info")
FINDING_COLUMNS = ["source", "month", "field", "check", "severity", "value", "expected", "message"]
COMPLETENESS_COLUMNS = ["source", "month", "field", "rows", "filled", "share"]


@dataclass(frozen=True)
class Finding:
    """One thing worth a look. `month` is `YYYY-MM`, a year `YYYY` for year-on-year findings, or None when the
    finding is about a whole source or load. `value` is what was seen, `expected` what is usual."""

    source: str
    month: str | None
    field: str | None
    check: str
    severity: str
    value: float | None
    expected: float | None
    message: str


@dataclass(frozen=True)
class Thresholds:
    """Every threshold in one place, so the report can state them and a caller can tighten them."""

    usually_filled: float = 0.98  # a field filled this often overall...
    filled_floor: float = 0.90  # ...is flagged in a month filled less than this (a column half dropped)
    fill_drop: float = 0.20  # a field filled less often is flagged when a month falls this far below usual
    low_count_ratio: float = 0.5  # a month below this share of the median of its baseline months...
    alpha: float = 0.001  # ...and beyond chance at this level; also the level of every other test
    baseline_months: int = 12  # the months before a month that say what is usual
    min_baseline_months: int = 6  # fewer than this before it: the months after it are used instead
    drift_effect: float = 0.2  # Cohen's h: a smaller move in a share is not worth a warning, however certain
    one_off_effect: float = 0.4  # a move lasting one month only must be this large: chance spikes do not last
    min_drift_rows: int = 50  # a period with fewer rows says too little about shares to test
    unplaced_share: float = 0.05  # a month with this share of rows not placed in a borough...
    unplaced_ratio: float = 2.0  # ...and this many times the usual share is flagged
    old_age: int = 100  # ages above this are valid but rare enough to check
    late_months: int = 3  # a monthly source whose latest month is more months than this before today is late


@dataclass
class QualityReport:
    """`findings`: one row per finding (FINDING_COLUMNS), most severe first. `completeness`: per source, month
    and field the rows, the rows with the field filled and the share filled (COMPLETENESS_COLUMNS).
    `coverage`: one row per source checked, loaded or not (`coverage.COVERAGE_COLUMNS`): its status (loaded,
    late or not loaded), rows, first and last month, the months missing between and how far behind today."""

    findings: pd.DataFrame
    completeness: pd.DataFrame
    thresholds: Thresholds = field(default_factory=Thresholds)
    coverage: pd.DataFrame = field(default_factory=pd.DataFrame)

    def items(self) -> list[Finding]:
        return [Finding(**row) for row in self.findings.to_dict("records")]

    def count(self, severity: str) -> int:
        return int((self.findings["severity"] == severity).sum())


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Findings as a frame sorted by severity, then source and month (whole-source findings first)."""
    frame = pd.DataFrame([asdict(f) for f in findings], columns=FINDING_COLUMNS)
    frame["value"] = frame["value"].astype("float64")
    frame["expected"] = frame["expected"].astype("float64")
    rank = frame["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
    frame = frame.assign(_rank=rank, _month=frame["month"].fillna(""), _field=frame["field"].fillna(""))
    frame = frame.sort_values(["_rank", "source", "_month", "check", "_field"], kind="stable")
    frame = frame.drop(columns=["_rank", "_month", "_field"]).reset_index(drop=True)
    # None, not NaN, for a blank month or field: the CLI and report print them as blanks.
    frame = frame.astype({"month": object, "field": object})
    return frame.where(frame.notna(), None).astype({"value": "float64", "expected": "float64"})


@dataclass(frozen=True)
class Profile:
    spec: SourceSpec
    label: str  # how messages name the source: "ED assault method 'x' rose..."
    unit: str  # what one record counts as: attendances, crimes
    categories: tuple[str, ...] = ()  # columns whose shares should hold still unless recording changes
    count_distinct: str | None = None  # count this key rather than rows (police: a crime has many rows)
    # Fields blank by design on some rows, and the rows they apply to: completeness is measured on those.
    applies: Callable[[ir.Table], dict[str, ir.BooleanValue]] = field(default=lambda t: {}, compare=False)

    @property
    def source(self) -> str:
        return self.spec.name

    @property
    def table(self) -> str:
        return self.spec.table

    @property
    def date(self) -> str | None:
        return EVENT_DATE.get(self.spec.table)

    @property
    def fields(self) -> list[str]:
        """The columns a file supplies, as stored (derived columns and provenance say nothing of the file)."""
        return [c.store_as for c in self.spec.columns]

    @property
    def conditional(self) -> set[str]:
        """The fields `applies` restricts (built on the table's schema: no warehouse needed)."""
        return set(self.applies(ibis.table(SCHEMAS[self.table], name=self.table)))

    @property
    def raw_date(self) -> str | None:
        """The file's column holding the event date, to date quarantined rows (kept only as raw text)."""
        return next((c.name for c in self.spec.columns if c.store_as == self.date), None)


PROFILES: dict[str, Profile] = {
    p.table: p
    for p in (
        # A crime with no recorded person has one row, role `none`, with no person, age or sex.
        Profile(
            SOURCES["police-records"],
            "police records",
            "crimes",
            ("offence_group",),
            "crime_key",
            lambda t: dict.fromkeys(["person_key", "age", "sex"], t.person_role != "none"),
        ),
        # Anti-social behaviour rows have no Crime ID and no outcome.
        Profile(
            SOURCES["police-uk"],
            "police.uk",
            "crimes",
            ("crime_type",),
            None,
            lambda t: dict.fromkeys(
                ["crime_id", "last_outcome_category"], t.crime_type != "Anti-social behaviour"
            ),
        ),
        Profile(
            SOURCES["ed-attendances"],
            "ED",
            "attendances",
            ("assault_method", "location_type"),
            None,
            lambda t: {"assault_method_other": t.assault_method == "other"},
        ),
        Profile(SOURCES["hospital-admissions"], "hospital", "admissions", ("cause_group",)),
        Profile(SOURCES["ambulance"], "ambulance", "call-outs", ("category",)),
        Profile(SOURCES["fire"], "fire", "incidents", ("incident_type",)),
        Profile(SOURCES["indicators"], "indicators", "figures"),
    )
}


def resolve(source: str | None) -> list[Profile]:
    """Every source, or the one named by its CLI name (ed-attendances) or its table (ed_attendances)."""
    if source is None:
        return list(PROFILES.values())
    for profile in PROFILES.values():
        if source in (profile.source, profile.table):
            return [profile]
    known = ", ".join(p.source for p in PROFILES.values())
    raise UnknownSource(f"unknown source '{source}'", f"Choose one of: {known} (or a table name).")


# -- shared helpers ------------------------------------------------------------------------------------
def month_of(value: ir.Value) -> ir.StringValue:
    """`YYYY-MM` of a date or timestamp; strings keep it portable across DuckDB and PostgreSQL."""
    return value.strftime("%Y-%m")


def counted(t: ir.Table, profile: Profile) -> ir.IntegerScalar:
    return t[profile.count_distinct].nunique() if profile.count_distinct else t.count()


def baseline(series: pd.Series, th: Thresholds) -> pd.DataFrame:
    """For a monthly series on a complete calendar index (NaN where a month has no data): the median of the
    previous `baseline_months` months with data, or of the next ones where fewer than `min_baseline_months`
    come before (the first months of a series have no past). Columns `value`, `months` (how many months it
    rests on) and `when` ("previous" or "next"); `value` is NaN when neither side has enough."""
    before = series.shift(1).rolling(th.baseline_months, min_periods=1)
    after = series[::-1].shift(1).rolling(th.baseline_months, min_periods=1)
    n_before, n_after = before.count(), after.count()[::-1]
    use_before = n_before >= th.min_baseline_months
    use_after = ~use_before & (n_after >= th.min_baseline_months)
    value = before.median().where(use_before, after.median()[::-1].where(use_after))
    when = pd.Series("previous", index=series.index).where(use_before, "next")
    return pd.DataFrame({"value": value, "months": n_before.where(use_before, n_after), "when": when})


def pct(share: float) -> str:
    """12%, or 0.4% for small shares, so a small share is not shown as 0%."""
    if share is None or np.isnan(share):
        return "n/a"
    if 0 < share < 0.001:
        return "under 0.1%"
    if 0 < share < 0.095:
        return f"{share * 100:.1f}%"
    return f"{share * 100:.0f}%"


def p_text(p: float) -> str:
    # One way of writing a p-value across pages, report and findings (`wording.format_p`).
    return format_p(p)


def label(name: str) -> str:
    """A column or category as words: assault_method -> assault method."""
    return str(name).replace("_", " ")

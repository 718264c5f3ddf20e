"""The shapes of every response, so the OpenAPI spec says exactly what each endpoint returns."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema

PeriodKind = Literal["year", "financial-year", "quarter", "month"]
Breakdown = Literal["age_band", "sex"]
Severity = Literal["error", "warning", "info"]


class ErrorOut(Schema):
    detail: str
    # For an error about one input (vrhub.errors.VrhubError): which, what was given, how to put it right.
    parameter: str | None = None
    location: str | None = None  # 'path' or 'query'
    value: str | None = None
    hint: str | None = None


class ParameterError(Schema):
    parameter: str
    location: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[ParameterError]


class MeasureRow(Schema):
    measure_id: str
    period: str
    months: int | None  # months of data the source holds in the period; None for reported indicators
    area_code: str
    area_name: str
    breakdown: str
    breakdown_person: str  # whose age or sex the breakdown counts: victim, suspect, patient; '' for none
    # A count stays an integer; shares and indicators are not counts. For a role given the public edition,
    # '*' where suppressed and counts below the force area rounded to 5, as /public/measures publishes them
    # (the row keeps the engine's columns, so a '*' is the mark; /public/measures adds `suppressed`).
    value: int | float | str | None
    unit: str
    change_vs_previous_pct: float | None
    change_vs_baseline_pct: float | None
    rate_per_100k: float | None
    rate_denominator: str | None  # whom the rate divides by, and the population estimate's year
    definition_version: str
    # Against the previous period (over the calendar months both hold where they differ):
    rate_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    wheeler_z: float | None  # read against |z| >= 3; None for a share
    small_count: bool | None
    # Against the same period of the baseline year:
    rate_ratio_vs_baseline: float | None
    ci_low_vs_baseline: float | None
    ci_high_vs_baseline: float | None
    p_value_vs_baseline: float | None
    notes: str  # the measure's note, then each reason a figure is blank or adjusted; '; '-separated
    snapshot: str


class MeasurePage(Schema):
    count: int
    limit: int
    offset: int
    # Periods holding fewer months of data than they span, per source: {source: {period: months}}.
    partial_periods: dict[str, dict[str, int]]
    items: list[MeasureRow]


class PublicRow(Schema):
    measure_id: str
    period: str
    area_code: str
    area_name: str
    breakdown: str
    value: int | float | str | None  # '*' where suppressed; counts below force level rounded to 5
    unit: str
    rate_per_100k: float | None
    change_vs_previous_pct: float | None
    change_vs_baseline_pct: float | None
    definition_version: str
    suppressed: bool


class PublicPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PublicRow]


class CatalogueEntry(Schema):
    id: str
    title: str
    source: str
    count: str
    unit: str
    population: str
    polarity: str
    baseline: int
    definition: str | None
    definition_version: str
    strategy: str | None
    value: str
    split_by: str | None
    note: str  # what a reader must know to read the figure right ("" when nothing)


class AreaOut(Schema):
    code: str
    name: str
    kind: Literal["force", "borough"]


class DefinitionSummary(Schema):
    name: str
    title: str
    version: str  # the stated version plus the file's hash, as every measure records it
    applies_to: str
    description: str
    source: str
    proxy: bool
    exclude_flags: list[str]  # a record with any of these flags set is never counted


class OffenceCode(Schema):
    code: str
    label: str


class RuleOut(Schema):
    label: str
    offence_codes: list[OffenceCode]
    any_flag: list[str]
    crime_types: list[str]
    offence_groups: list[str]  # ONS offence groups or subgroups whose every offence the rule names


class DefinitionOut(DefinitionSummary):
    stated_version: str
    sha256: str
    text: str
    codes: list[str]
    rules: list[RuleOut]


class FindingOut(Schema):
    source: str
    month: str | None
    field: str | None
    check: str
    severity: str
    value: float | None
    expected: float | None
    message: str


class LoadOut(Schema):
    load_id: int
    file_name: str
    source: str
    sha256: str | None
    rows_read: int | None
    rows_loaded: int | None
    rows_quarantined: int | None
    duplicates_skipped: int | None
    loaded_at: dt.datetime | None
    definition_version: str | None


class FigureOut(Schema):
    table: str
    measure_id: str
    measure: str
    source: str
    population: str
    period: str
    value: float | None
    unit: str
    stated_change: str
    note: str


class DisagreementOut(Schema):
    measure_id: str
    period: str
    stated: str
    arithmetic: str
    explanation: str


class PublishedOut(Schema):
    figures: list[FigureOut]
    # Where the strategy's own figures do not follow from each other, so no data could reproduce them all.
    disagreements: list[DisagreementOut]


class HotspotRow(Schema):
    lsoa_code: str
    lsoa_name: str
    lad_code: str
    count: int | str  # '*' (and counts rounded to 5) for a role given the public edition
    gi_z: float | None
    p_value: float | None
    p_fdr: float | None  # Benjamini-Hochberg across the area's LSOAs
    hot: bool  # p_fdr below alpha and z above 0
    # sfhotspot's space-time class over the months (e.g. persistent, emerging), '' for none.
    space_time_class: str


class HotspotsOut(Schema):
    subject: str  # the measure's title or the crime type counted
    period: str
    months: list[str]
    lsoas: int
    hot: int
    alpha: float
    method: str
    classes: str
    vintage: str  # which LSOA boundaries the counts are on
    count: int
    limit: int
    offset: int
    items: list[HotspotRow]

"""The dashboard's changes on a hand-made frame: per month of data against a part year, rounded once from
the figures (not from the engine's column, already rounded to 0.1), and a recording change in the verdict."""

from __future__ import annotations

import pandas as pd

from vrhub.config import FORCE_CODE
from vrhub.measures import load_catalogue
from vrhub.quality.recording import RecordingChange
from vrhub.web.dashboard import changes, tables

# 2018 holds April to December only (9 months).
PARTIAL = {"police_records": {"2018": 9}}


def _frame(measure: str, values: dict[str, float], engine_pct: float = 999.0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measure_id": measure,
            "period": list(values),
            "area_code": FORCE_CODE,
            "area_name": "Merseyside",
            "breakdown": "",
            "value": list(values.values()),
            "unit": "offences",
            "rate_per_100k": 1.0,
            # Deliberately wrong: the dashboard must not show the engine's rounded column.
            "change_vs_previous_pct": engine_pct,
            "change_vs_baseline_pct": engine_pct,
            "definition_version": "x",
        }
    )


def test_a_part_year_is_marked_and_compared_per_month() -> None:
    measure = load_catalogue().get("local_sv_offences")
    # 900 in 9 months is 100 a month; 1,080 in 12 is 90 a month (-10%, though the total rose 20%);
    # 1,188 is +10% on 1,080.
    frame = _frame(measure.id, {"2018": 900.0, "2019": 1_080.0, "2020": 1_188.0})
    rows = changes.add(tables.annual_rows(frame, measure.id), frame, measure, PARTIAL)
    by_period = {r["period"]: r for r in rows}
    assert by_period["2018"]["months"] == 9 and by_period["2019"]["months"] is None
    assert round(by_period["2019"]["change_vs_previous_pct"], 6) == -10.0
    assert round(by_period["2020"]["change_vs_previous_pct"], 6) == 10.0
    assert by_period["2019"]["change_vs_baseline_pct"] is None  # the baseline against itself
    # 2018 against the 2019 baseline, per month: 100 against 90 is +11.1%.
    assert round(by_period["2018"]["change_vs_baseline_pct"], 1) == 11.1
    assert changes.part_periods(measure, PARTIAL) == ["2018 (9 months of data)"]


def test_summary_sentence_and_table_round_alike_and_a_part_year_is_per_month() -> None:
    catalogue = load_catalogue()
    # 9,234 -> 11,680 is +26.49%: +26% in the sentence and the table (the engine's 26.5 would show +27%).
    frame = _frame("local_sv_victims_u25", {"2019": 9_234.0, "2020": 11_680.0}, engine_pct=26.5)
    [row] = tables.summary_rows(frame, catalogue, {}, FORCE_CODE, ["local_sv_victims_u25"])
    from vrhub.web.dashboard.templatetags.dashboard_format import pvalue, signed_pct

    assert signed_pct(row["change_vs_previous_pct"]) == "+26%" and "(+26%)" in row["sentence"]
    assert pvalue(row["p_value"]) == "p < 0.001" and "(p < 0.001)" in row["sentence"]
    # Against a 9-month 2018 the sentence speaks per month and never of the totals' +20%.
    frame = _frame("local_sv_offences", {"2018": 900.0, "2019": 1_080.0})
    [row] = tables.summary_rows(frame, catalogue, PARTIAL, FORCE_CODE, ["local_sv_offences"])
    assert row["previous_period"] == "2018 (9 months of data)"
    assert row["sentence"].startswith("fell from 100 a month in 2018 (9 months of data) to 90 a month")
    assert signed_pct(row["change_vs_previous_pct"]) == "-10%" and "20%" not in row["sentence"]


def test_a_recording_change_replaces_the_verdict_on_the_measures_it_touches() -> None:
    catalogue = load_catalogue()
    change = RecordingChange(
        "ed_attendances",
        "assault_method",
        "2021",
        "ED assault method 'not specified' rose from 12% to 32%",
        True,
    )
    frame = pd.concat(
        [
            _frame("ho_knife_admissions", {"2020": 293.0, "2021": 148.0}),
            _frame("ed_assault_attendances", {"2020": 3_748.0, "2021": 3_000.0}),
        ]
    )
    knife, every = tables.summary_rows(
        frame, catalogue, {}, FORCE_CODE, ["ho_knife_admissions", "ed_assault_attendances"], [change]
    )
    assert knife["sentence"].endswith(
        "(p < 0.001), which may be a recording artefact rather than an improvement: ED assault method "
        "'not specified' rose from 12% to 32%"
    )
    assert knife["recording_change"]
    # Every ED assault attendance counts whatever its method: that measure is not touched.
    assert every["sentence"].endswith("an improvement") and not every["recording_change"]

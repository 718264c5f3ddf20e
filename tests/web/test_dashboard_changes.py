"""The dashboard's changes on a hand-made frame: the engine's (like for like against a part year, blank with
the reason where the periods hold no month in common), rounded once from its unrounded rate ratio (not from
its change column, already rounded to 0.1), and a recording change in the verdict."""

from __future__ import annotations

import pandas as pd

from vrhub.config import FORCE_CODE
from vrhub.measures import load_catalogue
from vrhub.quality.recording import RecordingChange
from vrhub.web.dashboard import changes, tables
from vrhub.web.dashboard.templatetags.dashboard_format import pvalue, signed_pct

# 2018 holds April to December only (9 months).
PARTIAL = {"police_records": {"2018": 9}}
LIKE = "change on 2018 like for like: on Apr-Dec of both, 9 months"


def _frame(
    measure: str,
    values: dict[str, float],
    engine_pct: float = 999.0,
    ratios: dict[str, float] | None = None,
    notes: dict[str, str] | None = None,
    months: dict[str, int] | None = None,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measure_id": measure,
            "period": list(values),
            "months": [(months or {}).get(p, 12) for p in values],
            "area_code": FORCE_CODE,
            "area_name": "Merseyside",
            "breakdown": "",
            "value": list(values.values()),
            "unit": "offences",
            "rate_per_100k": 1.0,
            # The engine's change columns, rounded to 0.1: shown only where it gives no rate ratio.
            "change_vs_previous_pct": engine_pct,
            "change_vs_baseline_pct": engine_pct,
            "rate_ratio": [(ratios or {}).get(p) for p in values],
            "rate_ratio_vs_baseline": [(ratios or {}).get(p) for p in values],
            "notes": [(notes or {}).get(p, "") for p in values],
            "definition_version": "x",
        }
    )


def test_a_part_year_is_marked_and_its_changes_are_the_engines_like_for_like() -> None:
    measure = load_catalogue().get("local_sv_offences")  # baseline 2019
    # 2018 holds Apr-Dec, 900 crimes; 2019 has 1,080, of which 810 in Apr-Dec: like for like -10% (0.9), as
    # the engine gives it. Per month of data it would be 90 against 100, also -10%; so the engine's ratio is
    # made 0.85 here, to tell its figure from one worked from the totals or per month.
    frame = _frame(
        measure.id,
        {"2018": 900.0, "2019": 1_080.0, "2020": 1_188.0},
        ratios={"2019": 0.85, "2020": 1.1},
        notes={"2019": LIKE},
        months={"2018": 9},
    )
    rows = changes.add(tables.annual_rows(frame, measure.id), frame, measure, PARTIAL)
    by_period = {r["period"]: r for r in rows}
    assert by_period["2018"]["months"] == 9 and by_period["2019"]["months"] is None
    assert round(by_period["2019"]["change_vs_previous_pct"], 6) == -15.0
    assert by_period["2019"]["change_notes"] == ["on 2018 like for like: Apr-Dec of both, 9 months"]
    assert round(by_period["2020"]["change_vs_previous_pct"], 6) == 10.0
    assert by_period["2020"]["change_notes"] == []
    assert by_period["2019"]["change_vs_baseline_pct"] is None  # the baseline against itself
    assert changes.part_periods(measure, PARTIAL) == ["2018 (9 months of data)"]


def test_summary_sentence_and_table_round_alike_and_a_part_year_is_like_for_like() -> None:
    catalogue = load_catalogue()
    # 9,234 -> 11,680 is +26.49% (ratio 1.2649): +26% in the sentence and the table (the engine's 26.5
    # would show +27%).
    frame = _frame(
        "local_sv_victims_u25", {"2019": 9_234.0, "2020": 11_680.0}, engine_pct=26.5, ratios={"2020": 1.2649}
    )
    frame["p_value"] = 1e-9
    [row] = tables.summary_rows(frame, catalogue, {}, FORCE_CODE, ["local_sv_victims_u25"])
    assert signed_pct(row["change_vs_previous_pct"]) == "+26%" and "(+26%)" in row["sentence"]
    assert pvalue(row["p_value"]) == "p < 0.001" and "(p < 0.001)" in row["sentence"]
    # Against a 9-month 2018 the sentence gives the engine's like-for-like change, never the totals' +20% nor
    # a change per month of data (90 a month against 100, -10%).
    frame = _frame(
        "local_sv_offences",
        {"2018": 900.0, "2019": 1_080.0},
        ratios={"2019": 0.85},
        notes={"2019": LIKE},
        months={"2018": 9},
    )
    [row] = tables.summary_rows(frame, catalogue, PARTIAL, FORCE_CODE, ["local_sv_offences"])
    assert row["previous_period"] == "2018 (9 months of data)"
    assert row["previous_like_for_like"] == "Apr-Dec of both, 9 months"
    assert row["sentence"].startswith(
        "was 1,080; like for like (Apr-Dec of both, 9 months) on 2018 it fell 15%"
    )
    assert signed_pct(row["change_vs_previous_pct"]) == "-15%"
    assert "20%" not in row["sentence"] and "a month" not in row["sentence"]


def test_no_month_in_common_is_no_change_with_the_engines_reason() -> None:
    catalogue = load_catalogue()
    why = "2019 holds Jan-Mar and 2018 holds Apr-Dec, no calendar month in common"
    frame = _frame(
        "local_sv_offences",
        {"2018": 900.0, "2019": 300.0},
        engine_pct=float("nan"),
        notes={"2019": f"no change on 2018: {why}"},
        months={"2018": 9, "2019": 3},
    )
    [row] = tables.summary_rows(
        frame, catalogue, {"police_records": {"2018": 9}}, FORCE_CODE, ["local_sv_offences"]
    )
    assert row["change_vs_previous_pct"] is None and row["previous_not_compared"] == why
    assert row["sentence"] == f"cannot be compared with 2018: {why}"
    rows = changes.add(
        tables.annual_rows(frame, "local_sv_offences"), frame, catalogue.get("local_sv_offences"), {}
    )
    assert rows[-1]["change_vs_previous_pct"] is None
    assert rows[-1]["change_notes"] == [f"no change on 2018: {why}"]


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
            _frame("ho_knife_admissions", {"2020": 293.0, "2021": 148.0}, ratios={"2021": 148 / 293}),
            _frame(
                "ed_assault_attendances", {"2020": 3_748.0, "2021": 3_000.0}, ratios={"2021": 3_000 / 3_748}
            ),
        ]
    )
    # Both falls are far beyond chance (exact Poisson test p well under 0.001), as the engine would give.
    frame["p_value"] = [None, 1e-12, None, 1e-12]
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

"""The report's success-measure tables, summary and reproduction on hand-made figures: a part year compared
like for like as the engine compares it, and marked; a recording change in place of the verdict; and what
each row counts."""

from __future__ import annotations

from vrhub.config import FORCE_CODE
from vrhub.measures import load_catalogue
from vrhub.quality.recording import RecordingChange
from vrhub.reports.comparisons import Rows, force_rows
from vrhub.reports.reproduction import checks
from vrhub.reports.strategy_tables import counts, strategy_table
from vrhub.reports.summary import latest_changes
from vrhub.stats.change import change_statistics

# The demo's 2018 holds April to December only.
PARTIAL = {"police_records": {"2018": 9}, "ed_attendances": {"2018": 9}}


def _values(measure: str, by_year: dict[str, float]) -> dict:
    return {(measure, year, FORCE_CODE, ""): value for year, value in by_year.items()}


def _engine_rows(values: dict) -> Rows:
    """The engine's rows for whole years: each year's statistics against the year before."""
    found = []
    for (measure, year, area, breakdown), value in values.items():
        row = {
            "measure_id": measure,
            "period": year,
            "area_code": area,
            "breakdown": breakdown,
            "value": value,
        }
        before = values.get((measure, str(int(year) - 1), area, breakdown))
        if before is not None:
            [stats] = change_statistics([value], [before]).to_dict("records")
            row["change_vs_previous_pct"] = round(stats["pct_change"], 1)
            row |= {c: stats[c] for c in ("rate_ratio", "ci_low", "ci_high", "p_value", "small_count")}
        found.append(row)
    return force_rows(found)


def _like_for_like(rows: Rows, measure: str, pct: float, ratio: float) -> Rows:
    """The engine's row for 2019 against the demo's part 2018, as the engine gives it (like for like)."""
    key = (measure, "2019")
    rows[key] = {
        **rows[key],
        "change_vs_previous_pct": pct,
        "rate_ratio": ratio,
        "notes": "part period: ...; change on 2018 like for like: on Apr-Dec of both, 9 months",
    }
    return rows


def test_table2_shows_the_engines_like_for_like_change_never_the_totals() -> None:
    # The strategy's figures: 25,431 offences in 9 months of 2018 and 36,875 in 2019 (its +45% compares
    # the totals). The engine compares April to December of both: 28,692 against 25,431, +12.8%.
    values = _values("local_sv_offences", {"2018": 25_431, "2019": 36_875, "2020": 39_386, "2021": 40_490})
    rows = _like_for_like(_engine_rows(values), "local_sv_offences", 12.8, 28_692 / 25_431)
    table = {r.measure_id: r for r in strategy_table("table2", values, load_catalogue(), PARTIAL, rows=rows)}
    sv = table["local_sv_offences"].cells
    assert sv["2019"].change_text == (
        "13% increase from 2018 (9 months of data), like for like (Apr-Dec of both, 9 months)"
    )
    assert sv["2020"].change_text == "7% increase from 2019"  # whole years: as before
    assert "45%" not in " ".join(c.change_text for c in sv.values())
    # No engine row, no change: the table never works one out from the totals itself.
    bare = {r.measure_id: r for r in strategy_table("table2", values, load_catalogue(), PARTIAL)}
    assert all(c.change_text == "" for c in bare["local_sv_offences"].cells.values())


def test_a_recording_change_marks_the_cells_and_the_summary_of_the_measures_it_touches() -> None:
    catalogue = load_catalogue()
    change = RecordingChange(
        "ed_attendances",
        "assault_method",
        "2021",
        "ED assault method 'not specified' rose from 12% to 32%",
        True,
    )
    values = {
        **_values("ho_knife_admissions", {"2019": 309, "2020": 293, "2021": 148}),
        **_values("ho_knife_sv", {"2019": 634, "2020": 673, "2021": 529}),
    }
    rows = {
        r.measure_id: r
        for r in strategy_table("table1", values, catalogue, {}, [change], rows=_engine_rows(values))
    }
    assert rows["ho_knife_admissions"].cells["2021"].change_text == (
        "49% reduction from 2020 (may be a recording change: see the data-quality note)"
    )
    assert rows["ho_knife_admissions"].cells["2020"].change_text == "5% reduction from 2019"  # before it
    assert rows["ho_knife_sv"].cells["2021"].change_text == "21% reduction from 2020"  # police: untouched
    said = {
        s.measure_id: s
        for s in latest_changes(
            _engine_rows(values), catalogue, ["ho_knife_admissions", "ho_knife_sv"], "2021", [change]
        )
    }
    assert said["ho_knife_admissions"].recording_change
    assert "which may be a recording artefact rather than an improvement" in said["ho_knife_admissions"].text
    assert said["ho_knife_sv"].text.endswith("an improvement") and not said["ho_knife_sv"].recording_change


def test_the_reproduced_part_year_change_is_labelled_with_the_like_for_like_change() -> None:
    values = _values("local_sv_offences", {"2018": 25_431, "2019": 36_875})
    rows = _like_for_like(_engine_rows(values), "local_sv_offences", 12.8, 28_692 / 25_431)
    [check] = [
        c
        for c in checks(values, PARTIAL, rows)
        if c.measure_id == "local_sv_offences" and c.period == "2019" and c.what.startswith("change")
    ]
    # The strategy's +45% is reproduced as published, and said not to be like for like.
    assert check.ok and check.published == "+45% vs 2018" and check.computed == "+45.0%"
    assert check.what == "change vs 2018 (9 months of data)"
    assert check.note == "Not like for like; like for like (Apr-Dec of both, 9 months): +13%"


def test_each_row_says_what_it_counts() -> None:
    catalogue = load_catalogue()
    assert counts(catalogue.get("ho_knife_admissions_u25")) == (
        "Counts emergency department (ED) attendances for assault, with assault method 'knife' or "
        "'other sharp' or 'sharp unspecified'; aged under 25; by the date of the assault, in each calendar "
        "year."
    )
    assert counts(catalogue.get("local_sv_victims_u25")).startswith(
        "Counts victims of offences in police recorded crime, each victim once per crime, that meet the "
    )
    assert "victims aged under 25 only" in counts(catalogue.get("local_sv_victims_u25"))
    assert counts(catalogue.get("local_permanent_exclusions")).startswith("The partner's own figure")
    rows = strategy_table("table1", {}, catalogue)
    assert all(r.counts for r in rows) and [r.note for r in rows] == [
        catalogue.get(r.measure_id).note for r in rows
    ]

"""The report's key messages on hand-made engine rows: the largest changes on the baseline that chance alone
would not give, as the engine compared them, in plain words with the caveats."""

from __future__ import annotations

from vrhub.config import FORCE_CODE
from vrhub.measures import load_catalogue
from vrhub.quality.recording import RecordingChange
from vrhub.reports.comparisons import Rows, force_rows
from vrhub.reports.summary import key_messages
from vrhub.stats.change import change_statistics

FIGURES = {
    # 1,000 -> 900: -10%, p = 0.02: larger than chance, the third largest.
    "local_sv_offences": {"2019": 1_000, "2021": 900},
    # 634 -> 400: -37%.
    "ho_knife_sv": {"2019": 634, "2021": 400},
    # 60 -> 20: -67%, the largest.
    "local_knife_victims_u25": {"2019": 60, "2021": 20},
    # 5 -> 1: too few to read, whatever the change.
    "ho_non_domestic_homicide": {"2019": 5, "2021": 1},
}


def _rows(figures: dict[str, dict[str, float]]) -> Rows:
    """The engine's rows for whole years: its statistics against the 2019 baseline on the 2021 row."""
    found = []
    for measure, by in figures.items():
        base = {"measure_id": measure, "area_code": FORCE_CODE, "breakdown": ""}
        found.append({**base, "period": "2019", "value": by["2019"]})
        [stats] = change_statistics([by["2021"]], [by["2019"]]).to_dict("records")
        found.append(
            {
                **base,
                "period": "2021",
                "value": by["2021"],
                "change_vs_baseline_pct": round(stats["pct_change"], 1),
                "small_count": stats["small_count"],
                **{
                    f"{c}_vs_baseline": round(stats[c], 4)
                    for c in ("rate_ratio", "ci_low", "ci_high", "p_value")
                },
            }
        )
    return force_rows(found)


def test_the_largest_significant_changes_on_the_baseline_lead_in_plain_words() -> None:
    catalogue = load_catalogue()
    said = key_messages(_rows(FIGURES), catalogue, list(FIGURES), "2021", most=2)
    first, second, count = said.sentences
    assert first.startswith(
        catalogue.get("local_knife_victims_u25").title + " fell from 60 in the 2019 baseline"
    )
    assert "(-67%)" in first and first.endswith("an improvement.")
    assert second.startswith(
        catalogue.get("ho_knife_sv").title + " fell from 634 in the 2019 baseline to 400"
    )
    assert "(-37%)" in second and "(p < 0.001)" in second
    # The third significant change is counted, not written out; the homicides are too few to read.
    assert catalogue.get("local_sv_offences").title not in said.text and "10%" not in said.text
    assert count == (
        "Of 4 measures compared with their baseline, 3 improved and 0 worsened by more than chance alone "
        "would give; 1 moved no more than chance would, or count too few to tell."
    )
    assert said.caveats[0].startswith("Counts under 10 are not read as a trend")


def test_a_recording_change_is_named_instead_of_an_improvement() -> None:
    # ho_knife_sv counts police records by offence code: a change in how that was recorded in 2021 falls
    # between the baseline and 2021.
    change = RecordingChange("police_records", "offence_code", "2021", "offence codes recoded in 2021", True)
    said = key_messages(_rows(FIGURES), load_catalogue(), ["ho_knife_sv"], "2021", [change])
    assert (
        "may be a recording artefact rather than an improvement: offence codes recoded" in said.sentences[0]
    )
    assert said.sentences[1] == (
        "Of 1 measure compared with their baseline, 0 improved and 0 worsened by more than chance alone "
        "would give, 1 changed where a recording change may explain it; 0 moved no more than chance would, "
        "or count too few to tell."
    )
    assert any("recording artefact" in c for c in said.caveats)


def test_no_year_after_the_baseline_says_so() -> None:
    rows = force_rows(
        [{"measure_id": "local_sv_offences", "period": "2019", "area_code": FORCE_CODE, "value": 5}]
    )
    said = key_messages(rows, load_catalogue(), ["local_sv_offences"], "2019")
    assert said.sentences == ["There is no year after the baseline to compare 2019 with yet."]

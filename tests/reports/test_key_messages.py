"""The report's key messages on hand-made figures: the largest changes on the baseline that chance alone
would not give, per month of data against a part baseline year, in plain words with the caveats."""

from __future__ import annotations

from vrhub.config import FORCE_CODE
from vrhub.measures import load_catalogue
from vrhub.quality.recording import RecordingChange
from vrhub.reports.summary import key_messages

# The baseline year 2019 holds 9 months of police records.
PARTIAL = {"police_records": {"2019": 9}}
FIGURES = {
    # 900 in 9 months (100 a month) -> 1,080 in 12 (90 a month): -10% a month, though the total rose 20%.
    "local_sv_offences": {"2019": 900, "2021": 1_080},
    # 634 / 9 = 70.4 a month -> 529 / 12 = 44.1: -37%.
    "ho_knife_sv": {"2019": 634, "2021": 529},
    # 48 / 9 = 5.3 a month -> 34 / 12 = 2.8: -47%, the largest.
    "local_knife_victims_u25": {"2019": 48, "2021": 34},
    # 5 -> 1: too few to read, whatever the change.
    "ho_non_domestic_homicide": {"2019": 5, "2021": 1},
}


def _values() -> dict:
    return {(m, y, FORCE_CODE, ""): v for m, by in FIGURES.items() for y, v in by.items()}


def test_the_largest_significant_changes_on_the_baseline_lead_in_plain_words() -> None:
    catalogue = load_catalogue()
    said = key_messages(_values(), catalogue, list(FIGURES), "2021", PARTIAL, most=2)
    first, second, count = said.sentences
    assert first.startswith(catalogue.get("local_knife_victims_u25").title + " fell from 5.3 a month")
    assert "(-47%)" in first and first.endswith("an improvement.")
    assert second.startswith(catalogue.get("ho_knife_sv").title + " fell from 70.4 a month")
    assert "(-37%)" in second and "(p < 0.001)" in second
    # The third significant change is counted, not written out; the homicides are too few to read.
    assert catalogue.get("local_sv_offences").title not in said.text and "20%" not in said.text
    assert count == (
        "Of 4 measures compared with their baseline, 3 improved and 0 worsened by more than chance alone "
        "would give; 1 moved no more than chance would, or count too few to tell."
    )
    assert "2019 holds 9 months of police records data." in said.caveats[-1]
    assert said.caveats[0].startswith("Counts under 10 are not read as a trend")


def test_a_recording_change_is_named_instead_of_an_improvement() -> None:
    # ho_knife_sv counts police records by offence code: a change in how that was recorded in 2021 falls
    # between the baseline and 2021.
    change = RecordingChange("police_records", "offence_code", "2021", "offence codes recoded in 2021", True)
    said = key_messages(_values(), load_catalogue(), ["ho_knife_sv"], "2021", PARTIAL, [change])
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
    values = {("local_sv_offences", "2019", FORCE_CODE, ""): 5.0}
    said = key_messages(values, load_catalogue(), ["local_sv_offences"], "2019")
    assert said.sentences == ["There is no year after the baseline to compare 2019 with yet."]

"""The exact sentences, with the statistics computed by `change_statistics` as the report would."""

from __future__ import annotations

import pytest

from vrhub.stats.change import change_statistics
from vrhub.stats.wording import describe_change


def say(current: float, previous: float, label: str = "2020", **kwargs: object) -> str:
    row = change_statistics([current], [previous]).iloc[0]
    return describe_change(current, previous, label, row, **kwargs)


def test_homicides_within_chance() -> None:
    assert say(19, 13, polarity="lower_is_better", unit="offences") == (
        "rose from 13 in 2020 to 19 (+46%), within the range chance alone would give (p = 0.38)"
    )


def test_significant_fall_is_an_improvement_when_lower_is_better() -> None:
    assert say(2_260, 2_484, "2019") == (
        "fell from 2,484 in 2019 to 2,260 (-9%), a fall larger than chance alone would give (p = 0.001), "
        "an improvement"
    )


def test_significant_rise_is_a_worsening() -> None:
    assert say(40_490, 39_386, "2019") == (
        "rose from 39,386 in 2019 to 40,490 (+3%), a rise larger than chance alone would give (p < 0.001), "
        "a worsening"
    )


def test_polarity() -> None:
    assert say(2_484, 2_260, "2019/20", polarity="higher_is_better").endswith("(p = 0.001), an improvement")
    assert say(2_484, 2_260, "2019/20", polarity="neutral") == (
        "rose from 2,260 in 2019/20 to 2,484 (+10%), a rise larger than chance alone would give (p = 0.001)"
    )
    with pytest.raises(ValueError):
        say(2, 1, polarity="up")


def test_small_counts() -> None:
    assert say(1, 2) == "fell from 2 in 2020 to 1 (-50%), too few to read as a trend"
    assert say(0, 14) == "fell from 14 in 2020 to 0 (-100%), too few to read as a trend"


def test_from_zero_has_no_percentage() -> None:
    assert say(1, 0) == "rose from 0 in 2020 to 1, too few to read as a trend"


def test_unchanged() -> None:
    assert say(19, 19, "2021", unit="offences") == "unchanged at 19 offences, the same as in 2021"
    assert say(1_250, 1_250) == "unchanged at 1,250, the same as in 2020"


def test_less_than_one_percent() -> None:
    assert say(40_100, 40_000) == (
        "rose from 40,000 in 2020 to 40,100 (up less than 1%), within the range chance alone would give "
        "(p = 0.73)"
    )


def test_percent_unit_speaks_in_points() -> None:
    assert say(31.4, 12.0, unit="percent") == "rose from 12% in 2020 to 31.4% (+19.4 percentage points)"
    assert say(12.0, 12.0, unit="percent") == "unchanged at 12%, the same as in 2020"


def test_missing() -> None:
    assert say(float("nan"), 3) == "cannot be compared with 2020: a figure is missing"


def test_p_value_formatting_never_rounds_up_to_the_threshold() -> None:
    row = {"pct_change": 50.0, "small_count": False}
    assert describe_change(30, 20, "2020", {**row, "p_value": 0.0496}).endswith("(p < 0.05), a worsening")
    assert describe_change(30, 20, "2020", {**row, "p_value": 0.0072}).endswith("(p = 0.007), a worsening")
    assert describe_change(30, 20, "2020", {**row, "p_value": 0.0072}, alpha=0.001).endswith(
        "within the range chance alone would give (p = 0.007)"
    )


def test_percent_rounds_half_away_from_zero() -> None:
    base = {"p_value": 0.5, "small_count": False}
    assert "(+3%)" in describe_change(103, 100, "2020", {**base, "pct_change": 2.5})
    assert "(-3%)" in describe_change(97, 100, "2020", {**base, "pct_change": -2.5})


def test_a_recording_change_replaces_the_verdict() -> None:
    why = "ED assault method 'not specified' rose from 12% of attendances in 2020 to 32% in 2021"
    assert say(148, 293, caveat=why) == (
        "fell from 293 in 2020 to 148 (-49%), a fall larger than chance alone would give (p < 0.001), which "
        f"may be a recording artefact rather than an improvement: {why}"
    )
    assert say(148, 293, polarity="neutral", caveat=why).endswith(
        f"(p < 0.001), which may be a recording artefact: {why}"
    )
    # Within chance there is no verdict to replace.
    assert say(19, 13, caveat=why).endswith("within the range chance alone would give (p = 0.38)")


def test_one_rounding_for_tables_and_sentences() -> None:
    from vrhub.stats.wording import change_words, format_change, format_p, format_wheeler

    # Rounded once from the unrounded change: 148 against 293 is -49.49%, -49% in words and tables alike
    # (rounding the engine's -49.5 again would give -50%).
    assert say(148, 293).startswith("fell from 293 in 2020 to 148 (-49%)")
    assert format_change(-49.49) == "-49%" and change_words(-49.49, "2020") == "49% reduction from 2020"
    assert format_change(26.5) == "+27%" and format_change(-2.5) == "-3%"  # half away from zero
    assert format_change(0.3) == "up less than 1%" and format_change(0) == "0%" and format_change(None) == ""
    assert (
        format_p(0.637) == "p = 0.64" and format_p(0.0004) == "p < 0.001" and format_p(0.0496) == "p < 0.05"
    )
    assert format_wheeler(-5.88) == "-5.9 *" and format_wheeler(2.48) == "+2.5"

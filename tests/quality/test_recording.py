"""Recording changes found by the quality checks, matched to the measures whose figures they move."""

from __future__ import annotations

from vrhub.measures.catalogue import Measure
from vrhub.quality.model import Finding, findings_frame
from vrhub.quality.recording import caveat, columns, recording_changes, touching

NOT_SPECIFIED = (
    "ED assault method 'not specified' rose from 12% of attendances in 2020 to 32% in 2021: beyond chance "
    "(p < 0.001); likely a recording change, not a real change."
)
FEET = (
    "ED assault method 'feet' rose from 14% of attendances with a specific assault method in 2020 to 21% in "
    "2021: beyond chance (p < 0.001); a recording change or a real shift: check with the supplier."
)


def _findings() -> list[Finding]:
    return [
        Finding("ed-attendances", "2021", "assault_method", "category_drift", "warning", 0.21, 0.14, FEET),
        Finding(
            "ed-attendances", "2021", "assault_method", "category_drift", "warning", 0.32, 0.12, NOT_SPECIFIED
        ),
        Finding(
            "ed-attendances",
            "2021-01",
            "assault_method",
            "category_drift",
            "warning",
            0.29,
            0.12,
            "ED assault method 'not specified' jumped to 29% of attendances in 2021-01, against 12%: beyond "
            "chance (p < 0.001); likely a recording change, not a real change.",
        ),
        # Not recording changes of a column: a low month, and a location type nobody filters on.
        Finding(
            "ed-attendances", "2021-04", None, "low_count", "warning", 10.0, 300.0, "Only 10: late data."
        ),
        Finding("ed-attendances", "2021", "location_type", "category_drift", "warning", 0.5, 0.3, "Loc: x."),
    ]


KNIFE = Measure(
    "knife",
    "ED knife attendances",
    "ed_attendances",
    "records",
    "attendances",
    where={"assault_method": ["knife", "other_sharp"]},
)
WEAPONS = Measure(
    "weapons",
    "ED attendances by weapon",
    "ed_attendances",
    "records",
    "attendances",
    split_by="assault_method",
)
ALL = Measure("all", "ED assault attendances", "ed_attendances", "records", "attendances")
POLICE = Measure("police", "Police", "police_records", "offences", "offences", where={"offence_group": ["x"]})


def test_a_change_touches_measures_that_filter_or_split_on_its_column() -> None:
    changes = recording_changes(findings_frame(_findings()))
    # The low month has no column; the location type change is on a column no measure below uses.
    assert {(c.table, c.field, c.period) for c in changes} == {
        ("ed_attendances", "assault_method", "2021"),
        ("ed_attendances", "assault_method", "2021-01"),
        ("ed_attendances", "location_type", "2021"),
    }
    assert columns(KNIFE) == {"assault_method"} and columns(WEAPONS) == {"assault_method"}
    assert len(touching(changes, KNIFE)) == 3 and len(touching(changes, WEAPONS)) == 3
    assert touching(changes, ALL) == [] and touching(changes, POLICE) == []


def test_a_comparison_is_touched_only_when_the_change_falls_between_its_periods() -> None:
    changes = recording_changes(findings_frame(_findings()))
    assert len(touching(changes, KNIFE, "2020", "2021")) == 3
    assert len(touching(changes, KNIFE, "2019", "2021")) == 3  # against the baseline, too
    assert touching(changes, KNIFE, "2019", "2020") == []  # before the change: both periods alike
    assert touching(changes, KNIFE, "2021", "2022") == []  # after it: both periods hold it
    assert len(touching(changes, KNIFE, "2020/21", "2021/22")) == 3  # 2021-01 and 2021 begin in 2020/21
    assert touching(changes, KNIFE, "2021-02", "2021-03") == []


def test_the_caveat_names_the_likely_recording_change_first_once() -> None:
    changes = touching(recording_changes(findings_frame(_findings())), KNIFE, "2020", "2021")
    # The 2021-01 shift is the 2021 one seen by month; 'feet' may be real, so it is counted, not named.
    assert caveat(changes) == (
        "ED assault method 'not specified' rose from 12% of attendances in 2020 to 32% in 2021 "
        "(and 1 more recording change in the data-quality findings)"
    )
    assert caveat([]) is None

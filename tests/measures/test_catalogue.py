"""The catalogue: every strategy measure is in it, and a mistake in YAML is named precisely."""

from __future__ import annotations

import pytest

from vrhub.errors import DefinitionError
from vrhub.measures.catalogue import builtin_catalogue, parse_catalogue
from vrhub.measures.periods import in_baseline_year, previous
from vrhub.reports.published import figures


def test_every_strategy_measure_is_in_the_catalogue() -> None:
    assert {f.measure_id for f in figures()} <= set(builtin_catalogue().measures)


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "measures: {m: {title: t, source: nowhere, count: records, unit: u}}",
            "measure 'm': unknown source 'nowhere'",
        ),
        (
            "measures: {m: {title: t, source: fire_incidents, count: offences, unit: u}}",
            "needs source police_records",
        ),
        (
            "measures: "
            "{m: {title: t, source: fire_incidents, count: records, unit: u, where: {colour: red}}}",
            "'colour' is not a column of fire_incidents",
        ),
        (
            "measures: "
            "{m: {title: t, source: police_records, count: records, unit: u, definition: police_uk_proxy}}",
            "applies to police_uk_crimes",
        ),
        ("measures: {m: {source: fire_incidents, count: records, unit: u}}", "'title' is required"),
        (
            "measures: {m: {title: t, source: fire_incidents, count: records, unit: u, colour: red}}",
            "unknown key",
        ),
        (
            "measures: {m: {title: t, source: police_records, count: offences, unit: u, "
            "person: {role: victim, breakdown_by: suspect}}}",
            "person.breakdown_by goes alone",
        ),
        (
            "measures: {m: {title: t, source: police_records, count: victim_incidents, unit: u, "
            "person: {breakdown_by: suspect}}}",
            "person.breakdown_by goes alone",
        ),
        (
            "measures: {m: {title: t, source: police_records, count: offences, unit: u, "
            "person: {breakdown_by: witness}}}",
            "must be victim or suspect",
        ),
        (
            "measures: {m: {title: t, source: police_records, count: offences, unit: u, "
            "person: {colour: red}}}",
            "unknown person key",
        ),
    ],
)
def test_mistakes_are_named(yaml_text: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        parse_catalogue(yaml_text)


@pytest.mark.parametrize(
    ("label", "before", "baseline"),
    [
        ("2021", "2020", "2019"),
        ("2019/20", "2018/19", "2019/20"),
        ("2021-Q1", "2020-Q4", "2019-Q1"),
        ("2021-01", "2020-12", "2019-01"),
        ("2000/01", "1999/00", "2019/20"),
    ],
)
def test_period_arithmetic(label: str, before: str, baseline: str) -> None:
    assert previous(label) == before
    assert in_baseline_year(label, 2019) == baseline

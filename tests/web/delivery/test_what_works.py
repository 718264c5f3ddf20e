# ruff: noqa: F811  (the web fixtures are imported by name, then taken as arguments)
"""The register of what works and what does not: each verdict read from the interval, never typed; a row
that would mislead is refused; the page puts what did not work beside why."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from tests.web.conftest import client_as  # noqa: F401  (fixtures)
from vrhub.web.delivery.models import Evaluation

pytestmark = pytest.mark.django_db


def evaluation(intervention, **fields):  # type: ignore[no-untyped-def]
    base = {
        "intervention": intervention,
        "outcome": "Offending as a suspect within 12 months",
        "design": Evaluation.Design.MATCHED,
        "scale": Evaluation.Scale.RATIO,
        "evidence_strength": 3,
    }
    return Evaluation(**{**base, **fields})


@pytest.mark.parametrize(
    ("scale", "lower_is_better", "effect", "low", "high", "verdict"),
    [
        # A hazard ratio of offending: below 1 throughout is fewer offences.
        ("ratio", True, 0.62, 0.45, 0.85, "works"),
        ("ratio", True, 1.30, 1.05, 1.61, "harm"),
        ("ratio", True, 0.90, 0.70, 1.15, "no_clear_effect"),
        ("ratio", True, 0.80, 0.60, 1.00, "no_clear_effect"),  # touching 1 is not excluding it
        # A difference in school attendance (percentage points): above 0 throughout is better.
        ("difference", False, 4.0, 1.5, 6.5, "works"),
        ("difference", False, -3.0, -5.0, -1.0, "harm"),
        # A change in monthly crimes in the treated areas: below 0 throughout is fewer.
        ("percent", True, -22.0, -35.0, -9.0, "works"),
        ("percent", True, -5.0, -20.0, 10.0, "no_clear_effect"),
    ],
)
def test_the_verdict_is_read_from_the_interval(
    intervention, scale, lower_is_better, effect, low, high, verdict
):
    e = evaluation(
        intervention, scale=scale, lower_is_better=lower_is_better, effect=effect, ci_low=low, ci_high=high
    )
    assert e.verdict == verdict


def test_without_an_interval_nothing_was_measured(intervention):
    e = evaluation(intervention, design=Evaluation.Design.QUALITATIVE, why="Young people valued the mentors.")
    e.save()
    assert e.verdict == "not_measured"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"effect": 0.8}, "ci_low"),  # an effect without its interval
        ({"effect": 0.3, "ci_low": 0.5, "ci_high": 0.9}, "effect"),  # outside its own interval
        ({"effect": 0.5, "ci_low": -0.1, "ci_high": 0.9}, "ci_low"),  # a ratio below 0
        ({"effect": 0.9, "ci_low": 0.7, "ci_high": 1.2}, "why"),  # no clear effect, and no word why
        ({"effect": 1.3, "ci_low": 1.1, "ci_high": 1.5}, "why"),  # harm, and no word why
        ({"evidence_strength": 6, "effect": 0.6, "ci_low": 0.4, "ci_high": 0.8}, "evidence_strength"),
        ({"design": "qualitative", "effect": 0.6, "ci_low": 0.4, "ci_high": 0.8}, "design"),
    ],
)
def test_a_row_that_would_mislead_is_refused_naming_its_field(intervention, fields, field):
    with pytest.raises(ValidationError) as refused:
        evaluation(intervention, **fields).save()
    assert field in refused.value.message_dict
    assert not Evaluation.objects.exists()


def test_the_page_shows_what_works_and_beside_what_did_not_why(client_as, intervention):
    evaluation(
        intervention,
        outcome="ED assault attendance",
        effect=0.62,
        ci_low=0.45,
        ci_high=0.85,
        source="demo run",
    ).save()
    evaluation(
        intervention,
        outcome="Offending as a suspect within 12 months",
        effect=0.95,
        ci_low=0.74,
        ci_high=1.22,
        evidence_strength=2,
        why="Referrals came late: most young people had offended before they met a mentor.",
    ).save()
    c = client_as("viewer")
    page = c.get("/delivery/what-works/", secure=True).content.decode()
    works, no_clear = page.index('id="works"'), page.index('id="no_clear_effect"')
    assert works < page.index("ED assault attendance") < no_clear
    assert "0.62 (95% CI 0.45 to 0.85)" in page
    assert no_clear < page.index("Referrals came late") and 'id="harm"' not in page
    detail = c.get(f"/delivery/interventions/{intervention.pk}/", secure=True).content.decode()
    assert "No clear effect" in detail and "Works" in detail and "Referrals came late" in detail
    rows = json.loads(c.get("/delivery/what-works.json", secure=True).content)["results"]
    assert [(r["outcome"], r["verdict"]) for r in rows] == [
        ("ED assault attendance", "Works"),
        ("Offending as a suspect within 12 months", "No clear effect"),
    ]

"""The what-works register filled from vrhub's own estimate: an intervention's participants against their
matched comparison, recorded with its interval, its verdict read from that interval, and the reasons."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from tests.web.cohorts.conftest import BIG

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # each follows a cohort of 300 against its matches


def _intervention(title: str):
    from vrhub.web.accounts.models import Organisation
    from vrhub.web.delivery.models import Intervention, PreventionTier, StrategicPriority

    return Intervention.objects.create(
        title=title,
        priority=StrategicPriority.objects.get(slug="education"),
        tier=PreventionTier.objects.get(slug="secondary"),
        lead_organisation=Organisation.objects.create(name="Test Youth Charity", kind="vcs"),
        boroughs=["E08000012"],
        start_date=dt.date(2019, 1, 1),
        budget=Decimal("100000"),
        status="active",
    )


def test_the_hazard_ratio_is_the_cohorts_and_its_verdict_is_read_from_the_interval(cohort_data) -> None:
    from vrhub.cohorts.outcomes import DEFAULT_SEED
    from vrhub.web.accounts.models import AuditEvent
    from vrhub.web.delivery.evaluate import record_cohort_evaluation
    from vrhub.web.delivery.models import Evaluation
    from vrhub.web.warehouse import hub

    navigators = _intervention("Navigators")  # the synthetic population's offending is halved after joining
    recorded = record_cohort_evaluation(hub(), navigators, "offending", "6,12")
    expected = hub().cohort_outcomes("participants:Navigators", "6,12", seed=DEFAULT_SEED).estimates
    row = expected[expected["outcome"] == "offending"].iloc[-1]
    assert (recorded.effect, recorded.ci_low, recorded.ci_high) == pytest.approx(
        (row["hazard_ratio"], row["hr_ci_low"], row["hr_ci_high"])
    )
    assert recorded.ci_low <= 0.5 <= recorded.ci_high and recorded.ci_high < 1  # the planted halving
    assert recorded.verdict == Evaluation.Verdict.WORKS
    assert recorded.design == Evaluation.Design.MATCHED and recorded.scale == Evaluation.Scale.RATIO
    # Starts in 2019, records to the end of 2021: followed past 12 months, so said as the 12 asked for.
    assert (
        recorded.outcome
        == "Offending (recorded as a suspect) after starting, followed up to 12 months (median 12)"
    )
    assert "observational design" in recorded.why and recorded.evidence_strength == 2
    assert AuditEvent.objects.filter(action="delivery.create", object_id=str(recorded.pk)).exists()
    # Again: the register keeps one evaluation of this outcome, the newest, not two.
    again = record_cohort_evaluation(hub(), navigators, "offending", "6,12", why="Reached the right people.")
    assert again.pk == recorded.pk and Evaluation.objects.filter(intervention=navigators).count() == 1
    assert again.why.startswith("Reached the right people.\n\n")


def test_the_command_records_it_and_names_a_mistake(cohort_data, monkeypatch) -> None:
    from vrhub.cli import app
    from vrhub.web.accounts.models import AuditEvent
    from vrhub.web.delivery.models import Evaluation

    for name in ("VRHUB_DATA_DIR", "VRHUB_DEBUG", "VRHUB_LOCAL_HTTP"):  # the command points Django at its
        monkeypatch.setenv(name, os.environ.get(name, ""))  # folder: put the environment back afterwards
    monkeypatch.setenv("LOGNAME", "alice")  # the account running the command, as getpass reads it first

    _intervention("Navigators")
    runner = CliRunner()
    args = ["delivery", "evaluate", "--data-dir", str(cohort_data)]
    done = runner.invoke(app, [*args, "Navigators", "--follow-up", "6,12"])
    assert done.exit_code == 0, done.output
    e = Evaluation.objects.get()
    assert f"hazard ratio {e.effect:.2f} (95% CI {e.ci_low:.2f} to {e.ci_high:.2f}): Works" in done.output
    # The audit names who ran the command: their account on the machine, with no web account behind it.
    made = AuditEvent.objects.get(action="delivery.create", object_id=str(e.pk))
    assert (made.username, made.user) == ("cli:alice", None)
    unknown = runner.invoke(app, [*args, "Nobody"])
    assert unknown.exit_code == 2 and "INTERVENTION: Use one of: Navigators." in unknown.output
    wrong = runner.invoke(app, [*args, "Navigators", "--outcome", "happiness"])
    assert wrong.exit_code == 2 and "--outcome: Use one of: " in wrong.output
    assert Evaluation.objects.count() == 1  # nothing recorded by the mistakes


def test_the_follow_up_said_is_the_one_observed_never_the_longest_asked_for(cohort_data, client_as) -> None:
    """Asked for 48 months, with every start in 2019 and the police records ending in December 2021: the
    participants are followed 24 to 35 months, so 48 has no figures and the register says the follow-up
    the data cover, worked here from the analysed people's own times (start to the records' end)."""
    import numpy as np

    from vrhub.cohorts.outcomes import DEFAULT_SEED
    from vrhub.cohorts.survival import DAYS_PER_MONTH
    from vrhub.web.delivery.evaluate import record_cohort_evaluation
    from vrhub.web.warehouse import hub

    navigators = _intervention("Navigators")
    first = record_cohort_evaluation(hub(), navigators, "offending", "6,12")
    recorded = record_cohort_evaluation(hub(), navigators, "offending", "6,12,48")
    people = hub().cohort_outcomes(BIG, "6,12,48", seed=DEFAULT_SEED, person_level=True).people
    reach = people[(people["outcome"] == "offending") & (people["group"] == "cohort")]["reach"]
    longest, median = (int(np.floor(d / DAYS_PER_MONTH)) for d in (reach.max(), np.median(reach)))
    assert 24 <= median <= longest < 48
    said = f"followed up to {longest} months (median {median})"
    assert recorded.outcome == f"Offending (recorded as a suspect) after starting, {said}"
    assert f"over the follow-up observed: participants {said}." in recorded.why and "48" not in recorded.why
    assert recorded.pk == first.pk  # the register's one evaluation of offending, replaced
    page = client_as("viewer").get("/delivery/what-works/", secure=True).content.decode()
    assert said in page and "within 48 months" not in page and "up to 48" not in page

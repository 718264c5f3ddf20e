"""Exception reports: raised past a milestone's tolerance (not a day before), once, closed by a decision;
raised when a KPI's straight-line forecast breaches tolerance; missing quarterly updates listed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from vrhub.web.delivery.models import ExceptionReport, Kpi, KpiValue, Milestone, QuarterlyUpdate
from vrhub.web.delivery.tracking import missing_updates, raise_exceptions

pytestmark = pytest.mark.django_db


def test_milestone_raises_the_day_after_its_tolerance_runs_out(intervention):
    # Due 1 December, 14 days' tolerance: the last day within tolerance is 15 December.
    m = Milestone.objects.create(
        intervention=intervention, title="Pathway agreed", due_date=dt.date(2021, 12, 1), tolerance_days=14
    )
    assert raise_exceptions(dt.date(2021, 12, 15)) == []
    assert m.rag(dt.date(2021, 12, 1)) == "green" and m.rag(dt.date(2021, 12, 2)) == "amber"
    raised = raise_exceptions(dt.date(2021, 12, 16))
    assert [r.milestone for r in raised] == [m]
    assert m.rag(dt.date(2021, 12, 16)) == "red"
    assert "15 December 2021" in raised[0].cause
    assert raise_exceptions(dt.date(2021, 12, 20)) == []  # idempotent: one open report per trigger
    assert ExceptionReport.objects.filter(status="open").count() == 1


def test_completed_or_paused_work_raises_nothing(intervention):
    Milestone.objects.create(
        intervention=intervention,
        title="Done",
        due_date=dt.date(2021, 1, 1),
        status="complete",
        completed_date=dt.date(2021, 3, 1),
    )
    assert raise_exceptions(dt.date(2022, 1, 1)) == []
    intervention.status = "planned"
    intervention.save()
    Milestone.objects.create(intervention=intervention, title="Late", due_date=dt.date(2021, 1, 1))
    assert raise_exceptions(dt.date(2022, 1, 1)) == []


def test_resolving_needs_a_decision_and_closes_the_report(intervention, manager):
    Milestone.objects.create(
        intervention=intervention, title="Late", due_date=dt.date(2021, 11, 1), tolerance_days=0
    )
    [report] = raise_exceptions(dt.date(2021, 11, 2))
    with pytest.raises(ValidationError, match="Record the decision"):
        report.resolve("  ", by=manager)
    report.resolve("New date 31 January agreed by the steering group.", by=manager)
    report.refresh_from_db()
    assert (report.status, report.resolved_by) == ("resolved", manager)
    assert report.resolved_at is not None
    # The same breach is not raised again; moving the due date and missing it again is a new breach.
    assert raise_exceptions(dt.date(2021, 11, 30)) == []
    m = report.milestone
    m.due_date = dt.date(2022, 1, 31)
    m.save()
    assert raise_exceptions(dt.date(2022, 1, 31)) == []
    assert len(raise_exceptions(dt.date(2022, 2, 1))) == 1


def test_kpi_forecast_breach_raises_a_report(intervention):
    # End 31 March 2022 -> forecast for 2022-Q1. Values 150, 140, 130, 120 in 2021-Q1..Q4 fall 10 a
    # quarter: the line reads 110 in 2022-Q1. Target 150, tolerance 10% -> limit 135: 110 breaches.
    k = Kpi.objects.create(
        intervention=intervention,
        name="Young people engaged",
        unit="young people",
        target=Decimal(150),
        tolerance_pct=Decimal(10),
    )
    for q, v in [("2021-Q1", 150), ("2021-Q2", 140), ("2021-Q3", 130)]:
        KpiValue.objects.create(kpi=k, quarter=q, actual=Decimal(v))
    # Through Q3 alone the line reads 130 - 10*2 = 110 as well: already a breach.
    assert k.forecast() == ("2022-Q1", pytest.approx(110.0))
    KpiValue.objects.create(kpi=k, quarter="2021-Q4", actual=Decimal(120))
    assert k.forecast() == ("2022-Q1", pytest.approx(110.0))
    assert k.limit() == pytest.approx(135.0) and k.rag() == "red"
    [report] = raise_exceptions(dt.date(2022, 1, 15))
    assert report.kpi == k and report.trigger == "kpi" and "110.0" in report.cause


def test_kpi_within_tolerance_is_amber_and_raises_nothing(intervention):
    # 136 and 138: +2 a quarter -> 140 at 2022-Q1; short of 150 but above the 135 limit.
    k = Kpi.objects.create(intervention=intervention, name="n", unit="u", target=Decimal(150))
    KpiValue.objects.create(kpi=k, quarter="2021-Q3", actual=Decimal(136))
    KpiValue.objects.create(kpi=k, quarter="2021-Q4", actual=Decimal(138))
    assert k.forecast()[1] == pytest.approx(140.0)
    assert k.rag() == "amber"
    assert raise_exceptions(dt.date(2022, 1, 15)) == []


def test_lower_is_better_kpi_breaches_above_its_limit(intervention):
    # Target 4, tolerance 50% -> limit 6; one value (7) is carried forward flat: 7 > 6 breaches.
    k = Kpi.objects.create(
        intervention=intervention,
        name="Exclusions",
        unit="pupils",
        target=Decimal(4),
        tolerance_pct=Decimal(50),
        direction=Kpi.Direction.LOWER,
    )
    KpiValue.objects.create(kpi=k, quarter="2021-Q4", actual=Decimal(7))
    assert k.limit() == pytest.approx(6.0) and k.breaches()


def test_missing_updates_lists_each_partner_without_one(intervention, orgs):
    assert {(m.intervention.pk, m.organisation.name) for m in missing_updates("2021-Q4")} == {
        (intervention.pk, "Test Youth Charity"),
        (intervention.pk, "Test Council"),
    }
    QuarterlyUpdate.objects.create(
        intervention=intervention,
        organisation=orgs["council"],
        quarter="2021-Q4",
        narrative="on track",
        spend_to_date=Decimal(1000),
    )
    assert [m.organisation.name for m in missing_updates("2021-Q4")] == ["Test Youth Charity"]
    # A quarter before the intervention started owes nothing.
    assert missing_updates("2021-Q2") != [] and missing_updates("2021-Q1") == []
    # Nor does a quarter after it ended (31 March 2022).
    assert missing_updates("2022-Q2") == []


def test_one_update_per_partner_per_quarter(intervention, orgs):
    from django.db import IntegrityError

    QuarterlyUpdate.objects.create(
        intervention=intervention, organisation=orgs["council"], quarter="2021-Q4", narrative="a"
    )
    with pytest.raises(IntegrityError):
        QuarterlyUpdate.objects.create(
            intervention=intervention, organisation=orgs["council"], quarter="2021-Q4", narrative="b"
        )

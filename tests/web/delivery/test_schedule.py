"""The delivery check on a schedule: a clock the test advances and one tick at a time, emails through
Django's test outbox, once per item, and one run at a time across processes (the lease)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail

from vrhub.web.accounts.models import Profile
from vrhub.web.delivery.models import ExceptionReport, Milestone, QuarterlyUpdate
from vrhub.web.delivery.tracking import raise_exceptions
from vrhub.web.schedule import delivery_check, lease
from vrhub.web.schedule.models import Notice
from vrhub.web.schedule.notify import owed_quarter
from vrhub.web.schedule.runner import Scheduler

pytestmark = pytest.mark.django_db
LONDON = dt.timezone(dt.timedelta(0))  # December and January: London keeps UTC


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def person(username: str, organisation: Any, email: str, active: bool = True) -> User:
    user = User.objects.create_user(username, email=email)  # no password: nothing to hash
    user.is_active = active
    user.save()
    Profile.objects.create(user=user, role="partner", organisation=organisation)
    return user


@pytest.fixture
def people(orgs: dict) -> None:
    person("charity-lead", orgs["charity"], "lead@charity.example")
    person("charity-worker", orgs["charity"], "worker@charity.example")
    person("charity-leaver", orgs["charity"], "gone@charity.example", active=False)
    person("council-officer", orgs["council"], "officer@council.example")
    person("vrp-analyst", orgs["vrp"], "analyst@vrp.example")  # leads nothing, owes nothing


def sent() -> list[tuple[str, tuple[str, ...]]]:
    return sorted((m.subject, tuple(m.to)) for m in mail.outbox)


CHARITY = ("lead@charity.example", "worker@charity.example")
COUNCIL = ("officer@council.example",)


def test_each_item_is_emailed_once_to_the_organisation_responsible(intervention, people):
    # Due 1 December with 14 days' tolerance: overdue from the 2nd, beyond tolerance from the 16th.
    Milestone.objects.create(
        intervention=intervention, title="Pathway agreed", due_date=dt.date(2021, 12, 1), tolerance_days=14
    )
    # 2021-Q3 ended 30 September; its updates were due 30 days later. The council sent its own.
    QuarterlyUpdate.objects.create(
        intervention=intervention,
        organisation=intervention.partner_organisations.get(),
        quarter="2021-Q3",
        narrative="on track",
        spend_to_date=Decimal(0),
    )
    clock = Clock(dt.datetime(2021, 12, 10, 9, 0, tzinfo=LONDON))
    scheduler = Scheduler(check_every=3600, refresh_every=0, update_due_days=30, clock=clock)

    first = scheduler.tick()
    assert first.check is not None and first.check.ran and first.check.raised == []
    assert sent() == [
        ("Milestone overdue: Test intervention: 'Pathway agreed'", CHARITY),
        ("Quarterly update owed: Test intervention, 2021-Q3", CHARITY),
    ]

    clock.advance(minutes=59)
    assert scheduler.tick().check is None  # not due for another minute
    clock.advance(minutes=1)
    again = scheduler.tick()
    assert again.check is not None and again.check.ran and again.check.told == []
    assert len(mail.outbox) == 2  # idempotent: nothing new, nothing sent twice

    clock.now = dt.datetime(2021, 12, 16, 9, 0, tzinfo=LONDON)
    late = scheduler.tick()
    assert late.check is not None and [r.title for r in late.check.raised] == [
        "Test intervention: 'Pathway agreed' is 15 days overdue"
    ]
    assert sent()[0] == ("Exception report: Test intervention: 'Pathway agreed' is 15 days overdue", CHARITY)
    assert "15 December 2021" in mail.outbox[-1].body
    assert len(mail.outbox) == 3
    clock.advance(hours=1)
    assert scheduler.tick().check.told == []  # type: ignore[union-attr]
    assert ExceptionReport.objects.count() == 1 and len(mail.outbox) == 3
    assert set(Notice.objects.values_list("kind", flat=True)) == {
        "milestone_overdue",
        "update_owed",
        "exception",
    }


def test_a_report_raised_by_a_page_view_is_emailed_by_the_next_run(intervention, people):
    Milestone.objects.create(
        intervention=intervention, title="Late", due_date=dt.date(2021, 11, 1), tolerance_days=0
    )
    (report,) = raise_exceptions(dt.date(2021, 11, 20))  # as the scheduled check does
    run = delivery_check.run(dt.datetime(2021, 11, 20, 12, tzinfo=LONDON), "test", update_due_days=10_000)
    assert run.raised == [] and [n.key for n in run.told] == [f"exception:{report.pk}"]
    assert sent() == [(f"Exception report: {report.title}", CHARITY)]


def test_updates_fall_due_some_days_after_the_quarter_ends():
    # 2021-Q4 ends 31 December; 30 days later is 30 January.
    assert owed_quarter(dt.date(2022, 1, 30), 30) is None
    assert owed_quarter(dt.date(2022, 1, 31), 30) == "2021-Q4"
    assert owed_quarter(dt.date(2022, 3, 31), 30) == "2021-Q4"
    assert owed_quarter(dt.date(2022, 4, 1), 0) == "2022-Q1"
    assert owed_quarter(dt.date(2021, 1, 5), 0) == "2020-Q4"  # across the year


def test_nobody_to_tell_is_recorded_and_a_failed_send_is_tried_again(intervention, orgs, monkeypatch, caplog):
    Milestone.objects.create(intervention=intervention, title="Late", due_date=dt.date(2021, 12, 1))
    now = dt.datetime(2021, 12, 5, 12, tzinfo=LONDON)  # overdue, within 14 days' tolerance
    run = delivery_check.run(now, "test", update_due_days=10_000)  # no updates owed yet
    # The charity has no users: the item is recorded as told to nobody, and not looked at again.
    assert [(n.kind, n.recipients) for n in run.told] == [("milestone_overdue", [])]
    assert mail.outbox == []
    assert "by organisation: Test Youth Charity (1)" in caplog.text

    person("charity-lead", orgs["charity"], "lead@charity.example")
    Milestone.objects.create(intervention=intervention, title="Later", due_date=dt.date(2021, 12, 2))

    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("vrhub.web.schedule.notify.send_mail", down)
    assert delivery_check.run(now, "test", update_due_days=10_000).told == []
    monkeypatch.undo()
    retried = delivery_check.run(now, "test", update_due_days=10_000)
    assert [n.recipients for n in retried.told] == [["lead@charity.example"]]
    assert sent() == [("Milestone overdue: Test intervention: 'Later'", ("lead@charity.example",))]


def test_one_run_at_a_time_across_processes(intervention, people):
    Milestone.objects.create(
        intervention=intervention, title="Late", due_date=dt.date(2021, 11, 1), tolerance_days=0
    )
    now = dt.datetime(2021, 11, 20, 12, tzinfo=LONDON)
    # Another server process is part-way through a run: it holds the lease.
    assert lease.acquire(delivery_check.LEASE_NAME, "other-process", now)
    blocked = delivery_check.run(now, "this-process", update_due_days=10_000)
    assert not blocked.ran and ExceptionReport.objects.count() == 0 and mail.outbox == []
    # A holder that died frees the job when its lease runs out.
    later = now + lease.LEASE + dt.timedelta(seconds=1)
    assert delivery_check.run(later, "this-process", update_due_days=10_000).ran
    assert ExceptionReport.objects.count() == 1 and len(mail.outbox) == 1
    # Each run gives the lease back when it ends.
    assert lease.acquire(delivery_check.LEASE_NAME, "other-process", later)
    lease.release(delivery_check.LEASE_NAME, "other-process")
    assert lease.acquire(delivery_check.LEASE_NAME, "third-process", later)


def test_the_settings_turn_the_schedule_off(settings):
    from vrhub.web.schedule.runner import from_settings

    settings.VRHUB_CHECK_EVERY = 0
    settings.VRHUB_REFRESH_EVERY = 0
    assert from_settings() is None
    settings.VRHUB_CHECK_EVERY = 600
    scheduler = from_settings()
    assert scheduler is not None and scheduler.refresher is None and scheduler.wake_every == 600


def test_the_console_backend_is_the_default():
    from vrhub.web import settings as web_settings

    assert web_settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_a_report_the_schedule_raises_is_audited_under_the_schedule(intervention):
    from vrhub.web.accounts.models import AuditEvent

    Milestone.objects.create(
        intervention=intervention, title="Pathway agreed", due_date=dt.date(2021, 12, 1), tolerance_days=0
    )
    run = delivery_check.run(dt.datetime(2021, 12, 2, 9, tzinfo=LONDON), "test", update_due_days=10_000)
    assert len(run.raised) == 1
    (event,) = AuditEvent.objects.filter(action="delivery.exception_raised")
    assert (event.username, event.user) == (delivery_check.SCHEDULE_USER, None)

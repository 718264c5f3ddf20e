"""Telling the people responsible, by email, once per item: each open exception report, each milestone past
its due date, and each quarterly update owed past its due date.

Who is responsible: an intervention's lead organisation (Intervention.lead_organisation) answers for its
milestones and exception reports; each organisation that owes a quarterly update answers for that. Their
people are the active users whose profile names the organisation and who have an email address. A Notice
row records each item told (with whom), so a second run sends nothing; a failed send records nothing and is
tried again on the next run."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.mail import send_mail

from vrhub.measures.periods import quarter_bounds, quarter_index, quarter_label, quarter_of
from vrhub.web.accounts.models import Organisation
from vrhub.web.delivery.models import ExceptionReport, Milestone
from vrhub.web.delivery.tracking import LIVE, missing_updates
from vrhub.web.schedule.models import Notice

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Item:
    key: str
    kind: str
    organisation: Organisation
    subject: str
    body: str


def people(organisation: Organisation) -> list[str]:
    """The addresses of the organisation's active users, in a stable order."""
    found = User.objects.filter(is_active=True, profile__organisation=organisation).exclude(email="")
    return sorted(set(found.values_list("email", flat=True)))


def owed_quarter(today: dt.date, due_days: int) -> str | None:
    """The last quarter whose updates are past due on `today`: a quarter's updates fall due `due_days`
    after it ends. None while the last quarter's are not yet due."""
    last = quarter_label(quarter_index(quarter_of(today)) - 1)
    _start, end = quarter_bounds(last)
    return last if today > end + dt.timedelta(days=due_days) else None


def exception_items() -> Iterator[Item]:
    open_reports = ExceptionReport.objects.filter(status=ExceptionReport.Status.OPEN)
    for r in open_reports.select_related("intervention__lead_organisation").order_by("raised_at", "pk"):
        yield Item(
            key=f"exception:{r.pk}",
            kind="exception",
            organisation=r.intervention.lead_organisation,
            subject=f"Exception report: {r.title}"[:300],
            body=(
                f"An exception report has been raised on {r.intervention}, which "
                f"{r.intervention.lead_organisation} leads.\n\n{r.title}\n\nCause: {r.cause}\n\n"
                f"Consequences: {r.consequences}\n\nOptions: {r.options}\n\n"
                f"Recommendation: {r.recommendation}\n\n"
                "The steering group closes it with a decision (Delivery > Steering group in vrhub)."
            ),
        )


def overdue_items(today: dt.date) -> Iterator[Item]:
    """Milestones past their due date but still within tolerance: a reminder before an exception report."""
    late = (
        Milestone.objects.filter(intervention__status__in=LIVE, due_date__lt=today)
        .exclude(status=Milestone.Status.COMPLETE)
        .select_related("intervention__lead_organisation")
        .order_by("due_date", "pk")
    )
    for m in late:
        if m.is_beyond_tolerance(today):
            continue  # its exception report says so
        yield Item(
            # the due date in the key: a milestone given a new date that slips again is told again
            key=f"milestone-overdue:{m.pk}:{m.due_date.isoformat()}",
            kind="milestone_overdue",
            organisation=m.intervention.lead_organisation,
            subject=f"Milestone overdue: {m.intervention}: '{m.title}'"[:300],
            body=(
                f"The milestone '{m.title}' of {m.intervention} was due on {m.due_date:%d %B %Y} and is not "
                f"marked complete. If it is not done by {m.deadline:%d %B %Y} (its tolerance of "
                f"{m.tolerance_days} days), an exception report goes to the steering group.\n\n"
                "Mark it complete in vrhub's action tracker, or agree a new date."
            ),
        )


def update_items(today: dt.date, due_days: int) -> Iterator[Item]:
    quarter = owed_quarter(today, due_days)
    if quarter is None:
        return
    for owed in missing_updates(quarter):
        yield Item(
            key=f"update-owed:{owed.intervention.pk}:{owed.organisation.pk}:{quarter}",
            kind="update_owed",
            organisation=owed.organisation,
            subject=f"Quarterly update owed: {owed.intervention}, {quarter}"[:300],
            body=(
                f"{owed.organisation}'s quarterly update on {owed.intervention} for {quarter} was due "
                f"{due_days} days after the quarter ended and has not been received.\n\n"
                "Send it through Delivery > Quarterly updates in vrhub."
            ),
        )


def tell(items: Iterator[Item]) -> list[Notice]:
    """Email each item not told before to its organisation's people and record it. Returns the notices
    recorded now."""
    told = []
    untold: Counter[str] = Counter()
    for item in items:
        if Notice.objects.filter(key=item.key).exists():
            continue
        to = people(item.organisation)
        if to:
            try:
                send_mail(item.subject, item.body, None, to)
            except Exception:  # noqa: BLE001 - a mail server down must not stop the rest; tried next run
                log.exception("could not email %s about %s", item.organisation, item.key)
                continue
        else:
            untold[str(item.organisation)] += 1
        told.append(Notice.objects.create(key=item.key, kind=item.kind, subject=item.subject, recipients=to))
    if untold:  # one line a run, not one an item: recorded as told to nobody, so not said again
        names = ", ".join(f"{name} ({count})" for name, count in sorted(untold.items()))
        log.warning("items with nobody with an email address to tell, by organisation: %s", names)
    return told

"""Taking and giving back a job's lease (models.Lease): one holder at a time across server processes."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from vrhub.web.schedule.models import Lease

# Longer than any one run of a job takes; a holder that died frees the job after this.
LEASE = dt.timedelta(minutes=15)
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def acquire(name: str, holder: str, now: dt.datetime, length: dt.timedelta = LEASE) -> bool:
    """Take the lease unless another holder's has not yet run out. One conditional UPDATE decides, so two
    processes asking at once cannot both win."""
    # get_or_create survives another process making the row first; the UPDATE below decides between us.
    Lease.objects.get_or_create(name=name, defaults={"holder": "", "until": EPOCH})
    free = Q(until__lte=now) | Q(holder=holder)
    return Lease.objects.filter(Q(name=name) & free).update(holder=holder, until=now + length) == 1


def release(name: str, holder: str) -> None:
    Lease.objects.filter(name=name, holder=holder).update(until=EPOCH)

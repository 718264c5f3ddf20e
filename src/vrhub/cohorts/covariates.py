"""A person as they stood at their start: age band, sex, borough and contacts with services in the 12
months before, read from their linked records in one pass of SQL.

No record states a person's age on an arbitrary day, so it is carried from the record nearest the start
that has one (age then, plus the whole years between). Sex is the nearest record's that says M or F;
borough the last one known on or before the start, else the first after it. A value no record gives is
`unknown`, a level of its own: an unknown is matched to an unknown.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

UNKNOWN = "unknown"
PRIOR_DAYS = 365  # "contacts in the 12 months before start"
# (label, lowest age): the bands people are matched within, finer where violence concentrates.
AGE_BANDS = (
    ("0-9", 0),
    ("10-13", 10),
    ("14-15", 14),
    ("16-17", 16),
    ("18-20", 18),
    ("21-24", 21),
    ("25-34", 25),
    ("35-49", 35),
    ("50+", 50),
)
# Contacts matched within these bands (exactly up to 2, then wider): the mean is also balanced (the SMD).
CONTACT_BANDS = (("0", 0), ("1", 1), ("2", 2), ("3-4", 3), ("5+", 5))
CATEGORICAL = ("age_band", "sex", "borough")
STRATUM = ("age_band", "sex", "borough", "contacts_band")


def _band(value: ir.IntegerValue, bands: tuple[tuple[str, int], ...]) -> ir.StringValue:
    cases = [(value >= low, label) for label, low in reversed(bands)]
    return ibis.cases(*cases, else_=UNKNOWN)


def at_start(people: ir.Table, events: ir.Table) -> ir.Table:
    """`people` (person_id, start_date, and any columns to carry) with age_at_start, age_band, sex,
    borough, contacts_12m, contacts_band and stratum (the four bands as one text)."""
    e = events.select(
        __person="person_id",
        __date="event_date",
        __age="age",
        __sex="sex",
        __lad="lad_code",
        __contact="contact",
    )
    starts = people.select(__who="person_id", __start="start_date")
    j = starts.join(e, starts.__who == e.__person)
    days = j.__date.delta(j.__start, unit="day")  # record date minus start: negative before it
    near = days.abs()
    # Before the start (or on it) first, nearest first; then after it, nearest first.
    placed = ibis.cases((days <= 0, -days), else_=100_000 + days)
    with_age = j.__age.notnull()
    known_sex = j.__sex.isin(["M", "F"])
    whole_years = (-days / 365.25).floor().cast("int32")
    facts = j.group_by(j.__who).aggregate(
        age_at_start=(j.__age + whole_years).argmin(ibis.cases((with_age, near), else_=None)),
        sex=j.__sex.argmin(ibis.cases((known_sex, near), else_=None)),
        borough=j.__lad.argmin(ibis.cases((j.__lad.notnull(), placed), else_=None)),
        contacts_12m=(j.__contact & (days < 0) & (days >= -PRIOR_DAYS)).sum().cast("int64"),
    )
    t = people.left_join(facts, people.person_id == facts.__who).drop("__who")
    t = t.mutate(
        sex=t.sex.fill_null(UNKNOWN),
        borough=t.borough.fill_null(UNKNOWN),
        contacts_12m=t.contacts_12m.fill_null(0),
    )
    t = t.mutate(
        age_band=_band(t.age_at_start, AGE_BANDS), contacts_band=_band(t.contacts_12m, CONTACT_BANDS)
    )
    return t.mutate(stratum=ibis.literal("|").join([t[c] for c in STRATUM]))

"""Measures as Ibis expressions: a measure's spec becomes a filter and an aggregate, nothing else.

All measures of one source are computed together in one grouped pass (FILTER aggregates), at the grain
of month x borough (x breakdown); periods and the force total are sums of that grain. That is exact:
each crime has one committed date and one place, so distinct crimes add up across months and boroughs.
The same grain is what a load stores in `measure_counts` (cube.py), so a request need not scan records.

Broken down by age band or sex, every row a measure counts is in exactly one band, so the bands add up to
the total: a row-counting measure puts each row in its person's band (`unknown` or `U` when not recorded);
an offence measure puts each crime in one band, its youngest counted person's (of known age first; the
younger-first order ranks F before M before U at equal age, so a crime's sex is fixed), and a crime with
no such person recorded in a row of its own (`no victim recorded`).
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from vrhub.definitions import get_definition, predicate
from vrhub.errors import DefinitionError
from vrhub.measures.catalogue import BREAKDOWN_COLUMNS, EVENT_DATE, Measure

AGE_BANDS = (
    (0, 9, "0-9"),
    (10, 17, "10-17"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 49, "35-49"),
    (50, 64, "50-64"),
    (65, 120, "65+"),
)
BREAKDOWNS = tuple(BREAKDOWN_COLUMNS)
UNKNOWN = {"age_band": "unknown", "sex": "U"}  # the band of a person whose age or sex is not recorded
SEXES = ("F", "M", "U")  # in the order a crime's youngest person is chosen among equals
_NO_AGE = 999  # ranks a person of unknown age after every known age
_BITS = 62  # measures per bit mask (an int64, sign bit left alone)
Classified = tuple[tuple[str, str], ...]  # (definition name, column)
_OPS = {"lt": "__lt__", "le": "__le__", "gt": "__gt__", "ge": "__ge__", "eq": "__eq__", "ne": "__ne__"}


def condition(column: ir.Column, rule: Any, measure_id: str) -> ir.BooleanValue:
    if isinstance(rule, list):
        return column.isin(rule)
    if isinstance(rule, dict):
        parts = []
        for op, value in rule.items():
            if op in _OPS:
                parts.append(getattr(column, _OPS[op])(value))
            elif op == "in":
                parts.append(column.isin(value))
            elif op == "not_in":
                parts.append(~column.isin(value))
            elif op == "is_null":
                parts.append(column.isnull() if value else column.notnull())
            else:
                raise DefinitionError(
                    f"measure '{measure_id}': unknown condition '{op}'",
                    f"Use one of {', '.join([*_OPS, 'in', 'not_in', 'is_null'])}.",
                )
        return ibis.and_(*parts)
    return column == rule


def age_band(age: ir.IntegerColumn) -> ir.StringValue:
    return ibis.cases(*[((age >= lo) & (age <= hi), label) for lo, hi, label in AGE_BANDS], else_="unknown")


def breakdown_role(measure: Measure) -> str:
    """Whose age or sex a breakdown of the measure counts: a police measure's victims unless it names
    another role; everywhere else the patient."""
    if measure.source != "police_records":
        return "patient"
    role = measure.person.get("role") or ("victim" if measure.count == "victim_incidents" else None)
    rule = measure.where.get("person_role")
    if role is None and rule is not None:
        roles = rule if isinstance(rule, list) else [rule] if isinstance(rule, str) else []
        role = roles[0] if len(roles) == 1 else "person"
    return role or measure.person.get("breakdown_by", "victim")


def _role_implied(measure: Measure) -> bool:
    """The measure counts crimes whatever people they record; only its breakdown picks a role."""
    return (
        measure.source == "police_records"
        and measure.count == "offences"
        and not measure.person.get("role")
        and "person_role" not in measure.where
    )


def no_person(measure: Measure) -> str:
    return f"no {breakdown_role(measure)} recorded"


def breakdown_labels(measure: Measure, extra: str) -> list[str]:
    """Every band a breakdown of the measure has, each shown even when nothing falls in it, so that a
    reader can add them up to the total."""
    labels = [label for _lo, _hi, label in AGE_BANDS] if extra == "age_band" else list(SEXES[:2])
    labels.append(UNKNOWN[extra])
    if _role_implied(measure):
        labels.append(no_person(measure))
    return labels


def row_filter(
    measure: Measure, t: ir.Table, breakdown: str | None = None, classified: Classified = ()
) -> ir.BooleanValue:
    """The rows a measure counts. With a breakdown, police rows are those of the person it is about.

    `classified` names columns of `t` that hold a definition's classification of each row made with the
    definition as it stands (a load's own rows, just classified); stored rows may have been classified by
    an older version, so without it the definition is applied afresh."""
    parts: list[ir.BooleanValue] = []
    if measure.definition:
        column = dict(classified).get(measure.definition)
        parts.append(t[column] if column else predicate(get_definition(measure.definition), t))
    for column, rule in measure.where.items():
        parts.append(condition(t[column], rule, measure.id).fill_null(False))
    role = measure.person.get("role") or ("victim" if measure.count == "victim_incidents" else None)
    if (
        role is None
        and breakdown
        and measure.source == "police_records"
        and "person_role" not in measure.where
    ):
        # Offences broken down by age or sex: by their victims', or the role the measure names.
        role = measure.person.get("breakdown_by", "victim")
    if role:
        parts.append(t.person_role == role)
    if "age_under" in measure.person:
        parts.append((t.age < measure.person["age_under"]).fill_null(False))
    return ibis.and_(*parts) if parts else ibis.literal(True)


def aggregate(measure: Measure, t: ir.Table, where: ir.BooleanValue) -> ir.Scalar:
    if measure.count == "offences":
        return t.crime_key.nunique(where=where)
    return t.count(where=where)


def grouped(
    t: ir.Table,
    source: str,
    measures: list[Measure],
    extra: str | None,
    by_crime: bool = False,
    classified: Classified = (),
) -> ir.Table:
    """One pass over a source: each measure a filtered aggregate, grouped by month, borough and `extra`.
    With `by_crime`, distinct crimes are counted in two steps instead (see `_by_crime`); `classified` as
    in `row_filter`."""
    month = t[EVENT_DATE[source]].cast("date").truncate("M").name("month")
    keys = [month, t.lad_code.name("lad_code")]
    if extra == "age_band":
        keys.append(age_band(t.age).name("breakdown"))
    elif extra == "sex":
        keys.append(t.sex.fill_null("U").name("breakdown"))
    elif extra:
        keys.append(t[extra].cast("string").fill_null("unknown").name("breakdown"))
    breakdown = extra if extra in BREAKDOWNS else None
    offences = [m for m in measures if m.count == "offences"]
    if breakdown and offences:
        return _with_people(t, keys, measures, breakdown, classified)
    if by_crime and offences:
        return _by_crime(t, keys, measures, breakdown, classified)
    metrics = {m.id: aggregate(m, t, row_filter(m, t, breakdown, classified)) for m in measures}
    metrics["__rows"] = t.count()
    return t.group_by(keys).aggregate(**metrics)


def _with_people(
    t: ir.Table, keys: list[ir.Value], measures: list[Measure], breakdown: str, classified: Classified
) -> ir.Table:
    """`grouped` by age band or sex with offence measures: those count each crime once, in one band (see
    the module's docstring); the other measures count rows as usual. The two are added cell by cell."""
    names = [k.get_name() for k in keys]
    offences = [m for m in measures if m.count == "offences"]
    others = [m for m in measures if m.count != "offences"]
    rows = {m.id: aggregate(m, t, row_filter(m, t, breakdown, classified)) for m in others}
    rows["__rows"] = t.count()
    by_row = t.group_by(keys).aggregate(**rows)
    by_crime = _crimes_in_bands(t, keys[:2], offences, breakdown, classified)
    ids = [m.id for m in measures]

    def widened(part: ir.Table) -> ir.Table:
        zero = ibis.literal(0, "int64")
        return part.select(
            *names, *[part[c].cast("int64") if c in part.columns else zero.name(c) for c in [*ids, "__rows"]]
        )

    both = widened(by_row).union(widened(by_crime))
    return both.group_by(names).aggregate(**{c: both[c].sum() for c in [*ids, "__rows"]})


def _crimes_in_bands(
    t: ir.Table, keys: list[ir.Value], measures: list[Measure], breakdown: str, classified: Classified
) -> ir.Table:
    """Each crime a measure counts, in one band: its youngest counted person's (one integer orders the
    people and carries their age and sex, so a `min` per crime finds the person), or the no-person band."""
    names = [k.get_name() for k in keys]
    people = t.filter(t.crime_key.notnull())
    sex = people.sex.fill_null("U")
    rank = ibis.cases(*[(sex == s, i) for i, s in enumerate(SEXES[:2])], else_=len(SEXES) - 1)
    order = people.age.fill_null(_NO_AGE).cast("int64") * len(SEXES) + rank
    per_crime: dict[str, ir.Scalar] = {}
    for i, m in enumerate(measures):
        per_crime[f"__k{i}"] = order.min(where=row_filter(m, people, breakdown, classified))
        if _role_implied(m):
            per_crime[f"__c{i}"] = people.count(where=row_filter(m, people, None, classified)) > 0
    crimes = people.group_by([*keys, people.crime_key.name("__crime")]).aggregate(**per_crime)
    labels = {}
    for i, m in enumerate(measures):
        youngest = crimes[f"__k{i}"]
        band = _band_of(youngest, breakdown)
        if _role_implied(m):
            counted = crimes[f"__c{i}"]
            label = ibis.ifelse(youngest.notnull(), band, ibis.ifelse(counted, no_person(m), ibis.null()))
        else:
            label = ibis.ifelse(youngest.notnull(), band, ibis.null())
        labels[m.id] = label.cast("string")
    ids = list(labels)
    # One row per crime and measure, stacked by a union: Ibis's pivot_longer goes through JSON on PostgreSQL
    # and comes back with the labels quoted ('"18-24"'), which matched no band there.
    stacked = [
        crimes.select(*names, __measure=ibis.literal(mid), breakdown=label) for mid, label in labels.items()
    ]
    long = ibis.union(*stacked, distinct=False) if len(stacked) > 1 else stacked[0]
    long = long.filter(long.breakdown.notnull())
    return long.group_by([*names, "breakdown"]).aggregate(
        **{mid: long.count(where=long.__measure == mid) for mid in ids}
    )


def _band_of(order: ir.IntegerValue, breakdown: str) -> ir.StringValue:
    """The band of the person an `order` value stands for."""
    if breakdown == "sex":
        return ibis.cases(*[(order % len(SEXES) == i, s) for i, s in enumerate(SEXES)], else_="U")
    age = order // len(SEXES)
    return ibis.ifelse(age == _NO_AGE, UNKNOWN["age_band"], age_band(age))


def _by_crime(
    t: ir.Table, keys: list[ir.Value], measures: list[Measure], breakdown: str | None, classified: Classified
) -> ir.Table:
    """`grouped` with distinct crimes counted in two steps: which measures each crime meets in each cell,
    then the crimes counted. The same figures as `count(DISTINCT crime_key) FILTER (...)`. Over rows a load
    has just inserted (not yet checkpointed) it took half the time at 10M rows (30 s against 56 s); over
    stored rows the one-step count is faster (14 s against 22 s), so only the load uses it.

    The measures a row meets are bits of one integer, so the grouping by crime carries one `bit_or`
    instead of a `bool_or` per measure (a third faster at 10M rows)."""
    names = [k.get_name() for k in keys]
    offences = [m for m in measures if m.count == "offences"]
    masks = [offences[i : i + _BITS] for i in range(0, len(offences), _BITS)]
    per_crime: dict[str, ir.Scalar] = {}
    for n, chunk in enumerate(masks):
        bits = [
            ibis.ifelse(
                row_filter(m, t, breakdown, classified),
                ibis.literal(1 << i, "int64"),
                ibis.literal(0, "int64"),
            )
            for i, m in enumerate(chunk)
        ]
        per_crime[f"__mask{n}"] = ibis.ifelse(t.crime_key.notnull(), sum(bits[1:], bits[0]), 0).bit_or()
    for m in measures:
        if m.count != "offences":
            per_crime[m.id] = t.count(where=row_filter(m, t, breakdown, classified))
    per_crime["__rows"] = t.count()
    crimes = t.group_by([*keys, t.crime_key.name("__crime")]).aggregate(**per_crime)
    metrics: dict[str, ir.Scalar] = {}
    for n, chunk in enumerate(masks):
        mask = crimes[f"__mask{n}"]
        for i, m in enumerate(chunk):
            metrics[m.id] = crimes.count(where=(mask & (1 << i)) != 0)
    for m in measures:
        if m.count != "offences":
            metrics[m.id] = crimes[m.id].sum()
    metrics["__rows"] = crimes["__rows"].sum()
    return crimes.group_by(names).aggregate(
        **{m.id: metrics[m.id] for m in measures}, __rows=metrics["__rows"]
    )

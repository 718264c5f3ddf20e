"""Record-level checks, each one grouped query: rows quarantined at ingest, duplicates skipped at ingest,
possible duplicates that got in, crimes whose rows disagree, and values that are valid but implausible.

Impossible values (an age of 150) never reach the warehouse: ingest quarantines them, so they are reported
from the `quarantine` table, dated by the event date in the row's raw text.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.types as ir

from vrhub.quality.model import Finding, Profile, Thresholds, month_of
from vrhub.sources.reading import normalise
from vrhub.warehouse import Warehouse


def _raw_month(raw_row: ir.StringValue, column: str) -> ir.StringValue:
    """`YYYY-MM` of a column in the quarantine's raw JSON row. Names match as ingest matches them (any case,
    `_` or space), dates are `YYYY-MM-DD...`, `DD/MM/YYYY...` or police.uk's `YYYY-MM`; otherwise NULL."""
    name = r"[ _]+".join(normalise(column).split())
    text = raw_row.re_extract(r'(?i)"\s*' + name + r'\s*"\s*:\s*"([^"]*)"', 1).strip()
    iso = text.re_extract(r"^([0-9]{4}-[0-9]{2})", 1).nullif("")
    mon, year = (text.re_extract(r"^[0-9]{1,2}/([0-9]{1,2})/([0-9]{4})", i).nullif("") for i in (1, 2))
    month = iso.coalesce(year.concat("-", mon.lpad(2, "0")))
    # An impossible date (2021-13-01, often why the row is here) names no month: unknown, not "2021-13".
    real = month.substr(5, 2).isin([f"{m:02d}" for m in range(1, 13)])
    return ibis.ifelse(real, month, ibis.null("string"))


def quarantined(wh: Warehouse, profile: Profile) -> list[Finding]:
    q = wh.table("quarantine")
    q = q.filter(q.source == profile.source)
    month = _raw_month(q.raw_row, profile.raw_date) if profile.raw_date else ibis.null("string")
    query = (
        q.mutate(month=month)
        .group_by(["month", "field", "reason"])
        .aggregate(
            rows=q.row_number.count(),
            files=q.file_name.nunique(),
            file=q.file_name.min(),
            first=q.row_number.min(),
        )
    )
    found = []
    for r in wh.to_arrow(query).to_pandas().itertuples(index=False):
        month = r.month if isinstance(r.month, str) else None
        where = f"first at row {r.first} of {r.file}" if r.files == 1 else f"in {r.files} files"
        found.append(
            Finding(
                profile.source,
                month,
                r.field,
                "quarantined",
                "warning",
                float(r.rows),
                0.0,
                f"{r.rows:,} {profile.source} row(s) {f'dated {month}' if month else '(month unknown)'} were "
                f"quarantined for '{r.field}': {r.reason} ({where}). They are in no figure until fixed and "
                "loaded again (`vrhub quarantine` lists them).",
            )
        )
    return found


def skipped(wh: Warehouse, profile: Profile) -> list[Finding]:
    """Duplicates skipped at ingest: handled, but a file repeating much of another is worth knowing about."""
    loads = wh.table("loads")
    query = loads.filter((loads.source == profile.source) & (loads.duplicates_skipped > 0))
    return [
        Finding(
            profile.source,
            None,
            None,
            "duplicates_skipped",
            "info",
            float(r.duplicates_skipped),
            0.0,
            f"{r.file_name} (load {r.load_id}): {r.duplicates_skipped:,} of {r.rows_read:,} rows were "
            "already loaded and were skipped; if the file restates records with corrections, the corrections "
            "were not taken.",
        )
        for r in wh.to_arrow(query.order_by("load_id")).to_pandas().itertuples(index=False)
    ]


# Per table: (what a group of rows sharing the key is, the key, columns to make first).
_Rule = tuple[str, tuple[str, ...], Callable[[ir.Table], dict[str, ir.Value]] | None]
_DUPLICATES: dict[str, list[_Rule]] = {
    # A record now stands once (its later versions supersede it), but rows loaded before record versions
    # were keyed with age and sex, so a person restated with a corrected age may be there twice.
    "police_records": [
        (
            "rows for the same person in the same role in one crime",
            ("crime_key", "person_role", "person_key"),
            None,
        ),
    ],
    "police_uk_crimes": [("rows with the same Crime ID", ("crime_id",), None)],
    # ED rows loaded before record versions, or without a reference, have no record key, so one attendance
    # can arrive twice.
    "ed_attendances": [
        ("attendances with the same attendance reference", ("attendance_key",), None),
        (
            "attendances at the same site, minute, age and sex",
            ("site_code", "minute", "age", "sex"),
            lambda t: {"minute": t.arrival_at.fill_null(t.assault_at).truncate("m")},
        ),
    ],
    "hospital_admissions": [("admissions with the same reference", ("admission_key",), None)],
    "ambulance_callouts": [("call-outs with the same incident reference", ("incident_key",), None)],
    "fire_incidents": [("incidents with the same incident reference", ("incident_key",), None)],
}


def possible_duplicates(wh: Warehouse, profile: Profile) -> list[Finding]:
    """Groups of rows sharing a key that should identify one record, counted by the month of the first."""
    found = []
    for what, key, make in _DUPLICATES.get(profile.table, []):
        t = wh.table(profile.table)
        t = t.mutate(**(make(t) if make else {}), __month=month_of(t[profile.date]))
        # A blank reference matches nothing; a blank age or sex is only one more thing the rows share.
        t = t.filter(ibis.and_(*[t[k].notnull() for k in key if k not in ("age", "sex")]))
        groups = t.group_by(list(key)).aggregate(n=t.count(), month=t.__month.min()).filter(lambda g: g.n > 1)
        query = groups.group_by("month").aggregate(groups=groups.count(), extra=(groups.n - 1).sum())
        for r in wh.to_arrow(query.order_by("month")).to_pandas().itertuples(index=False):
            found.append(
                Finding(
                    profile.source,
                    r.month,
                    ",".join(key),
                    "possible_duplicate",
                    "warning",
                    float(r.extra),
                    0.0,
                    f"{r.groups:,} group(s) of {profile.label} {what} in {r.month} ({r.extra:,} extra "
                    "row(s)): possibly the same record loaded twice, which would count it twice.",
                )
            )
    return found


def inconsistent_crimes(wh: Warehouse, profile: Profile) -> list[Finding]:
    """A crime's rows should agree on its date and offence; a later extract that reclassified it does not."""
    if profile.table != "police_records":
        return []
    t = wh.table(profile.table)
    crimes = (
        t.group_by("crime_key")
        .aggregate(
            month=month_of(t.committed_date.min()),
            dates=t.committed_date.nunique(),
            codes=t.offence_code.nunique(),
        )
        .filter(lambda c: (c.dates > 1) | (c.codes > 1))
    )
    query = crimes.group_by("month").aggregate(n=crimes.count()).order_by("month")
    return [
        Finding(
            profile.source,
            r.month,
            "committed_date,offence_code",
            "inconsistent_record",
            "warning",
            float(r.n),
            0.0,
            f"{r.n:,} crime(s) committed in {r.month} have rows that disagree on the committed date or "
            "offence code (a crime restated with a new classification?): each is counted once, by one of "
            "them.",
        )
        for r in wh.to_arrow(query).to_pandas().itertuples(index=False)
    ]


def implausible(wh: Warehouse, profile: Profile, th: Thresholds) -> list[Finding]:
    """Values that pass ingest but are unlikely, counted per month in one grouped query. A rule about the
    record rather than the person (police dates) counts records (crimes), not rows."""
    t = wh.table(profile.table)
    rules: list[tuple[str, str, ir.BooleanValue, bool, str]] = []  # field, severity, test, per record, what
    if "age" in t.columns:
        rules.append(
            (
                "age",
                "info",
                t.age > th.old_age,
                False,
                f"with an age over {th.old_age}: possible, but check it is not a default or a slip",
            )
        )
    if profile.table == "ed_attendances":
        rules.append(
            (
                "arrival_at",
                "warning",
                t.arrival_at < t.assault_at,
                True,
                "that arrived at the ED before the assault happened: swapped fields or a wrong clock?",
            )
        )
    if profile.table == "police_records":
        rules.append(
            (
                "recorded_date",
                "warning",
                t.recorded_date < t.committed_date,
                True,
                "recorded before the date they were committed: swapped dates?",
            )
        )
    if not rules or profile.date is None:
        return []
    key = profile.count_distinct

    def count(test: ir.BooleanValue | None, per_record: bool) -> ir.IntegerScalar:
        return t[key].nunique(where=test) if per_record and key else t.count(where=test)

    counts = {}
    for i, (_, _, test, per_record, _) in enumerate(rules):
        counts[f"n{i}"], counts[f"of{i}"] = count(test.fill_null(False), per_record), count(None, per_record)
    frame = wh.to_arrow(t.group_by(month=month_of(t[profile.date])).aggregate(**counts)).to_pandas()
    found = []
    for i, (field, severity, _, per_record, what) in enumerate(rules):
        unit = profile.unit if per_record or not key else "rows"
        hits = frame[frame[f"n{i}"] > 0].sort_values("month")
        for month, n, of in hits[["month", f"n{i}", f"of{i}"]].itertuples(index=False):
            found.append(
                Finding(
                    profile.source,
                    month,
                    field,
                    "implausible_value",
                    severity,
                    float(n),
                    0.0,
                    f"{n:,} of {of:,} {profile.label} {unit} in {month} {what}",
                )
            )
    return found

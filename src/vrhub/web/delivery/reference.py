"""Lookups the delivery models check against: the five boroughs, quarter labels and the measures catalogue."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from importlib import resources

from django.core.exceptions import ValidationError

QUARTER = re.compile(r"\d{4}-Q[1-4]")


@functools.cache
def boroughs() -> dict[str, str]:
    """LAD code -> name of the five Merseyside boroughs, from the lookup vrhub ships."""
    text = resources.files("vrhub").joinpath("data/merseyside_lsoa_to_lad.csv").read_text("utf-8")
    return dict(sorted({(r["lad_code"], r["lad_name"]) for r in csv.DictReader(text.splitlines())}))


def borough_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, name in sorted(boroughs().items(), key=lambda item: item[1])]


def validate_boroughs(codes: object) -> None:
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise ValidationError("Boroughs must be a list of local authority codes such as E08000012.")
    unknown = [c for c in codes if c not in boroughs()]
    if unknown:
        known = ", ".join(f"{code} {name}" for code, name in boroughs().items())
        raise ValidationError(f"{', '.join(unknown)} is not a Merseyside borough code (known: {known}).")


@functools.cache
def known_measure_ids() -> frozenset[str]:
    from vrhub.measures import load_catalogue

    return frozenset(load_catalogue().measures)


def validate_measure_id(measure_id: str) -> None:
    if measure_id and measure_id not in known_measure_ids():
        raise ValidationError(
            f"'{measure_id}' is not a measure in the catalogue (`vrhub measures --list` lists them)."
        )


def validate_measure_ids(ids: object) -> None:
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ValidationError("Measures must be a list of measure ids from the catalogue.")
    for measure_id in ids:
        validate_measure_id(measure_id)


def validate_quarter(label: str) -> None:
    if not QUARTER.fullmatch(label or ""):
        raise ValidationError(f"'{label}' is not a quarter: write it as 2021-Q4.")


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(label: str) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar quarter such as 2021-Q4."""
    validate_quarter(label)
    year, q = int(label[:4]), int(label[-1])
    start = dt.date(year, 3 * q - 2, 1)
    following = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return start, following - dt.timedelta(days=1)


def quarter_index(label: str) -> int:
    """Quarters counted from year 0, so two labels' difference is the number of quarters between them."""
    validate_quarter(label)
    return int(label[:4]) * 4 + int(label[-1]) - 1


def quarter_label(index: int) -> str:
    return f"{index // 4}-Q{index % 4 + 1}"

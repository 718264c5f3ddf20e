"""Lookups the delivery models check against: the five boroughs, quarter labels (from measures' periods)
and the measures catalogue."""

from __future__ import annotations

import csv
import functools
from importlib import resources

from django.core.exceptions import ValidationError

from vrhub.errors import BadValue


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
def measure_titles() -> dict[str, str]:
    """Measure id -> title, for every measure in the catalogue."""
    from vrhub.measures import load_catalogue

    return {m.id: m.title for m in load_catalogue().measures.values()}


def known_measure_ids() -> frozenset[str]:
    return frozenset(measure_titles())


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
    """A quarter as forms and models check it: measures' quarter arithmetic refusing it, in Django's words."""
    # Imported here, not at the top: this module is imported with the models at Django's start, and
    # `vrhub.measures` brings the measure engine (scipy, statsmodels), seconds that start need not pay.
    from vrhub.measures.periods import quarter_index

    try:
        quarter_index(label)
    except BadValue as refused:
        raise ValidationError(f"{refused.message}. {refused.hint}") from None

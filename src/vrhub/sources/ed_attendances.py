"""Emergency department assault attendances: the NHS ISTV minimum data set (ISB 1594) plus local fields."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from importlib import resources

import ibis.expr.types as ir

from vrhub.sources.context import IngestContext
from vrhub.sources.places import with_borough
from vrhub.sources.spec import Column, SourceSpec

ASSAULT_METHODS = (
    "fists",
    "feet",
    "body_parts",
    "knife",
    "other_sharp",
    # A stab wound, as a national code sends it: a knife or another sharp object, not said which. It counts
    # among knives or sharp objects, never as a knife alone.
    "sharp_unspecified",
    "blunt_object",
    "glass_bottle",
    "firearm",
    "other",
    "not_specified",
)
LOCATION_TYPES = (
    "street",
    "licensed_premises",
    "home",
    "public_transport",
    "school",
    "workplace",
    "other",
    "not_specified",
)


CODES_FILE = "vrhub/sources/data/ed_codes.csv"  # as a reason names it


def load_codes(text: str, named: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """{field: ((code, word), ...)} from a codes file's text (field, code, word, scheme, label; lines
    starting # are comments). A word that is not one of the field's choices, or a code that is itself a
    word, is a fault in the file: refused whole, naming its line."""
    from vrhub.errors import DefinitionError

    choices = {"assault_method": ASSAULT_METHODS, "location_type": LOCATION_TYPES}
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if not line.startswith("#")]
    rows = csv.DictReader(io.StringIO("\n".join(line for _, line in lines)))
    codes: dict[str, list[tuple[str, str]]] = {field: [] for field in choices}
    for (number, _), row in zip(lines[1:], rows, strict=True):
        field, code, word = ((row.get(k) or "").strip() for k in ("field", "code", "word"))
        if field not in choices or word not in choices[field] or not code:
            raise DefinitionError(
                f"{named}, line {number}: field {field!r}, code {code!r}, word {word!r} is not a code of "
                "assault_method or location_type for one of its words",
                f"Words: assault_method {', '.join(ASSAULT_METHODS)}; "
                f"location_type {', '.join(LOCATION_TYPES)}.",
            )
        if code.lower() in choices[field]:
            raise DefinitionError(f"{named}, line {number}: code {code!r} is a vrhub word", "Remove the row.")
        codes[field].append((code, word))
    return {field: tuple(pairs) for field, pairs in codes.items()}


def with_codes(spec: SourceSpec, text: str, named: str) -> SourceSpec:
    """The spec taking the codes of a codes file's text as well as its words."""
    codes = load_codes(text, named)
    return replace(
        spec,
        columns=tuple(
            replace(c, codes=codes[c.name], codes_from=named) if c.name in codes else c for c in spec.columns
        ),
    )


def _derive(t: ir.Table, ctx: IngestContext) -> ir.Table:
    # Where the assault happened places it; the patient's home is the fall-back ISTV extracts allow.
    return with_borough(t, ctx, lsoa=t.incident_lsoa.fill_null(t.home_lsoa))


SPEC = SourceSpec(
    name="ed-attendances",
    table="ed_attendances",
    title="Emergency department assault attendances (ISTV)",
    columns=(
        Column("attendance_ref", "identifier", required=False, nullable=True, target="attendance_key"),
        Column("site_code", "upper"),
        Column("arrival_datetime", "datetime", required=False, nullable=True, target="arrival_at"),
        Column("assault_datetime", "datetime", target="assault_at"),
        Column("assault_method", "choice", choices=ASSAULT_METHODS),
        Column("assault_method_other", "text", required=False, nullable=True),
        Column("location_type", "choice", choices=LOCATION_TYPES),
        Column("location_description", "text", required=False, nullable=True),
        # The ISTV minimum data set has no age, sex or admitted: a file without them loads, the values NULL
        # (measures that filter on them say how many records they could not count: measures/unrecorded.py).
        Column("age", "age", required=False, nullable=True),
        Column("sex", "sex", required=False, nullable=True),
        Column("incident_lsoa", "lsoa", required=False, nullable=True),
        Column("home_lsoa", "lsoa", required=False, nullable=True),
        Column("admitted", "flag", required=False),  # sent, it must be filled
        Column("police_informed", "flag", required=False, nullable=True),
    ),
    key=("attendance_key",),  # without its reference a row is identified by its whole content
    derive=_derive,
)
SPEC = with_codes(
    SPEC, resources.files("vrhub.sources").joinpath("data/ed_codes.csv").read_text("utf-8"), CODES_FILE
)

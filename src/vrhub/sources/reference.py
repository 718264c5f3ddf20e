"""Reference data: the LSOA-to-borough lookup and ONS population by single year of age (and sex).

Both go through the same staging as every source (bad rows quarantined with their row number), but replace
what they restate (the same LSOA and vintage, the same area and year) rather than add to it. vrhub ships
Merseyside's and loads them on `vrhub init`; any other area loads from the same formats.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import ibis
import ibis.expr.types as ir
import ibis.selectors as s

from vrhub.config import FORCE_CODE, FORCE_NAME
from vrhub.errors import InputRefused
from vrhub.pseudonymise import Pseudonymiser
from vrhub.sources import values
from vrhub.sources.context import IngestContext
from vrhub.sources.ingest import LoadSummary, ingest_file
from vrhub.sources.places import place_loaded
from vrhub.sources.reading import Header
from vrhub.sources.spec import Column, RowCheck, SourceSpec
from vrhub.sources.staging import raw_value
from vrhub.warehouse import Warehouse

_ONS_CODE = "[EWSNK][0-9]{8}"


def _ons_code(column: str) -> RowCheck:
    def condition(header: Header) -> str | None:
        found = header.find(column)
        return None if found is None else f"NOT regexp_full_match(upper({raw_value(found)}), '{_ONS_CODE}')"

    return RowCheck(column, "not an ONS area code (expected e.g. E08000012)", condition)


def _with_force(t: ir.Table, ctx: IngestContext) -> ir.Table:
    return t.mutate(pfa_code=t.pfa_code.fill_null(FORCE_CODE), pfa_name=t.pfa_name.fill_null(FORCE_NAME))


AREAS = SourceSpec(
    name="areas",
    table="lsoa_lookup",
    title="LSOA to borough lookup",
    columns=(
        Column("lsoa_vintage", "exact_choice", choices=("2011", "2021")),
        Column("lsoa_code", "lsoa"),
        Column("lsoa_name", "text"),
        Column("lad_code", "upper"),
        Column("lad_name", "text"),
        Column("pfa_code", "upper", required=False, nullable=True),
        Column("pfa_name", "text", required=False, nullable=True),
    ),
    key=("lsoa_vintage", "lsoa_code"),
    replace_on=("lsoa_vintage", "lsoa_code"),
    checks=(_ons_code("lad_code"), _ons_code("pfa_code")),
    derive=_with_force,
    after_load=place_loaded,
)

AGES = [*(str(a) for a in range(90)), "90+"]
# How a `Sex` column may name each sex (ONS writes Males/Females/Persons, or codes 1 and 2); blank is persons.
SEX_NAMES = {
    "M": ("m", "male", "males", "1"),
    "F": ("f", "female", "females", "2"),
    "all": ("p", "persons", "all", "all_persons"),
}


def _all_ages_is_the_sum(header: Header) -> str | None:
    """A row whose `All ages` is not the sum of its ages: one of its figures is wrong (a cell typed over,
    a column shifted), and which cannot be told; the rates use the ages, the totals `All ages`."""
    total, ages = header.find("All ages"), [header.find(a) for a in AGES]
    if total is None or any(a is None for a in ages):
        return None

    def number(column: str) -> str:  # NULL (no check) where a figure is not a count: quarantined as such
        return values.parse("count", raw_value(column))

    return f"{number(total)} <> ({' + '.join(number(a) for a in ages if a is not None)})"


def population_spec(year: int) -> SourceSpec:
    """ONS `Code,Name,Geography,All ages,0..89,90+` (one row per area, or per area and sex with a `Sex`
    column) -> (year, area, age, population, sex)."""

    def unpivot(t: ir.Table, ctx: IngestContext) -> ir.Table:
        long = t.pivot_longer(s.startswith("age_"), names_to="__age", values_to="population")
        age = long.__age.re_replace("^age_", "").cast("int32")
        sex = ibis.cases(*[(long.sex.isin(names), code) for code, names in SEX_NAMES.items()], else_="all")
        return long.mutate(year=ibis.literal(year, "int32"), age=age, sex=sex)

    return SourceSpec(
        name="population",
        table="population",
        title=f"ONS mid-{year} population estimates by single year of age",
        columns=(
            Column("Code", "upper", target="area_code"),
            Column("Name", "text", target="area_name"),
            Column(
                "Sex",
                "choice",
                required=False,
                nullable=True,
                target="sex",
                choices=tuple(n for names in SEX_NAMES.values() for n in names),
            ),
            Column("All ages", "count", target="all_ages"),
            *(Column(age, "count", target=f"age_{age.rstrip('+')}") for age in AGES),
        ),
        key=("area_code", "sex"),
        # A file by sex replaces that sex's estimates, one for persons the persons'; each is kept beside
        # the others.
        replace_on=("year", "area_code", "sex"),
        checks=(
            _ons_code("Code"),
            RowCheck("All ages", "All ages is not the sum of the ages 0 to 90+", _all_ages_is_the_sum),
        ),
        derive=unpivot,
        # ONS's 2020 file is Windows-1252.
        fallback_encoding="cp1252",
    )


def population_year(path: Path, year: int | None) -> int:
    if year is not None:
        return year
    found = re.search(r"(19|20)\d\d", path.name)
    if not found:
        raise InputRefused(
            f"{path}: the year of the estimates is not in the file name",
            "Give it with --year, e.g. --year 2020 for mid-2020 estimates.",
        )
    return int(found.group(0))


def reference_spec(kind: str, path: Path, year: int | None = None) -> SourceSpec:
    return AREAS if kind == "areas" else population_spec(population_year(path, year))


def load_reference(
    wh: Warehouse, kind: str, path: Path, year: int | None = None, ctx: IngestContext | None = None, **options
) -> LoadSummary:
    """Load an areas or population file (`options`: encoding, progress, as for `ingest_file`)."""
    spec = reference_spec(kind, path, year)
    if ctx is None:
        ctx = IngestContext(
            con=wh.con if wh.is_duckdb else ibis.duckdb.connect(),
            pseudonyms=Pseudonymiser(b""),  # reference data holds no identifiers
            lookup=None,
            definition_version="",
        )
    return ingest_file(wh, spec, path, ctx, **options)


def bundled_files() -> list[tuple[str, Path, int | None]]:
    data = resources.files("vrhub") / "data"
    return [
        ("areas", Path(str(data / "merseyside_lsoa_to_lad.csv")), None),
        ("population", Path(str(data / "ons_mid2019_population_merseyside.csv")), 2019),
        ("population", Path(str(data / "ons_mid2020_population_merseyside.csv")), 2020),
    ]

"""2011 LSOA codes to their best-fit 2021 LSOA, so a period spanning the change counts on one map.

police.uk codes crimes to 2011 LSOAs up to 2021-12 and to 2021 LSOAs after. 889 of Merseyside's 910 LSOAs
kept their code in 2021; the other 21 were split (one 2011 LSOA became two or three) or merged (two became
one). A 2011 code goes to the 2021 LSOA holding most of its area, so a split LSOA's records all go to its
largest part and merged LSOAs map many-to-one. Records cannot be divided by area (a crime is in one place),
so this is a best fit, not an apportionment: for a split LSOA some records land in the wrong half.

The Merseyside table is computed once from the shipped boundaries (`write_best_fit`) and shipped as
`data/lsoa11_to_lsoa21.csv`; a test recomputes it and checks it is unchanged. Elsewhere, or to follow
ONS's own best fit (which ONS assigns by population-weighted centroid, not area), give ONS's "LSOA (2011)
to LSOA (2021) ... Best Fit Lookup" CSV: its `LSOA11CD` and `LSOA21CD` columns are read, with the
setting `VRHUB_LSOA_BEST_FIT` or the `path` argument of `load_best_fit`.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
from importlib import resources
from pathlib import Path

import geopandas as gpd
import pandas as pd

from vrhub.errors import InputRefused

BEST_FIT_FILE = "lsoa11_to_lsoa21.csv"
BEST_FIT_SETTING = "VRHUB_LSOA_BEST_FIT"
COLUMNS = ["lsoa11_code", "lsoa21_code", "share_of_2011_area"]
# ONS's names first, then the shipped table's: either file can be given.
_FROM = ("lsoa11cd", "lsoa11_code")
_TO = ("lsoa21cd", "lsoa21_code")
_LSOA = re.compile(r"^[EW]01\d{6}$")
SHIPPED = "best fit by area of overlap of the shipped boundaries"


def compute_best_fit(lsoa11: gpd.GeoDataFrame, lsoa21: gpd.GeoDataFrame) -> pd.DataFrame:
    """Each 2011 LSOA's 2021 LSOA of largest overlap, with the share of the 2011 area that overlap holds.

    Areas are measured on the British National Grid (EPSG:27700), where a square metre is a square metre.
    A tie (never seen in Merseyside) goes to the lower 2021 code, so the table is the same every run.
    """
    old = lsoa11[["lsoa_code", "geometry"]].rename(columns={"lsoa_code": "lsoa11_code"}).to_crs(27700)
    new = lsoa21[["lsoa_code", "geometry"]].rename(columns={"lsoa_code": "lsoa21_code"}).to_crs(27700)
    old["__area"] = old.area
    parts = gpd.overlay(old, new, how="intersection", keep_geom_type=True)
    parts["share_of_2011_area"] = parts.area / parts["__area"]
    best = parts.sort_values(
        ["lsoa11_code", "share_of_2011_area", "lsoa21_code"], ascending=[True, False, True]
    ).drop_duplicates("lsoa11_code")
    missing = sorted(set(old["lsoa11_code"]) - set(best["lsoa11_code"]))
    if missing:
        raise RuntimeError(f"2011 LSOAs overlapping no 2021 LSOA: {', '.join(missing)}")
    return pd.DataFrame(best[COLUMNS]).sort_values("lsoa11_code", ignore_index=True)


def write_best_fit(out: Path | None = None) -> Path:
    """Recompute the Merseyside table from the shipped boundaries and write it (run by a maintainer when
    the boundaries change; `tests/geography` checks the shipped file equals a fresh computation)."""
    from vrhub.geography import load_lsoa_boundaries

    out = out or Path(__file__).parent / "data" / BEST_FIT_FILE
    table = compute_best_fit(load_lsoa_boundaries(2011), load_lsoa_boundaries(2021))
    table.to_csv(out, index=False, float_format="%.4f", lineterminator="\n")
    return out


def load_best_fit(path: Path | str | None = None) -> pd.DataFrame:
    """The 2011-to-2021 table in use: `path`, else the file named by VRHUB_LSOA_BEST_FIT, else the shipped
    Merseyside table. Columns lsoa11_code, lsoa21_code; `attrs["source"]` says which table it is."""
    path = path or os.environ.get(BEST_FIT_SETTING) or None
    if path is None:
        return _shipped().copy()
    return _read_lookup(Path(path))


@functools.cache
def _shipped() -> pd.DataFrame:
    text = resources.files("vrhub.geography").joinpath("data", BEST_FIT_FILE).read_text(encoding="utf-8")
    table = pd.read_csv(io.StringIO(text), dtype={"lsoa11_code": str, "lsoa21_code": str})
    table.attrs["source"] = SHIPPED
    return table


def _read_lookup(path: Path) -> pd.DataFrame:
    """A user's best-fit lookup, checked row by row: every refusal names the file, row and column."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # ONS downloads often start with a byte-order mark
    except FileNotFoundError:
        raise InputRefused(
            f"{path}: LSOA best-fit lookup not found", f"Check the path (or the {BEST_FIT_SETTING} setting)."
        ) from None
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    names = [h.strip().lower() for h in header]
    found = {}
    for want, options in (("from", _FROM), ("to", _TO)):
        at = next((names.index(o) for o in options if o in names), None)
        if at is None:
            raise InputRefused(
                f"{path}: no {options[0].upper()} column in the LSOA best-fit lookup",
                "Give ONS's LSOA (2011) to LSOA (2021) best-fit lookup (columns LSOA11CD and LSOA21CD).",
            )
        found[want] = (at, header[at].strip())
    (i11, name11), (i21, name21) = found["from"], found["to"]
    rows: dict[str, tuple[str, int]] = {}
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        for at, name in ((i11, name11), (i21, name21)):
            value = row[at].strip().upper() if at < len(row) else ""
            if not _LSOA.match(value):
                raise InputRefused(
                    f"{path}, row {row_number}, {name}: '{value}' is not an LSOA code",
                    "LSOA codes are E01 or W01 and six digits, e.g. E01006512.",
                )
        code11, code21 = row[i11].strip().upper(), row[i21].strip().upper()
        if code11 in rows and rows[code11][0] != code21:
            first = rows[code11][1]
            raise InputRefused(
                f"{path}, row {row_number}, {name21}: 2011 LSOA {code11} is given a second 2021 LSOA "
                f"({code21}; row {first} gave {rows[code11][0]})",
                "This looks like ONS's exact-fit lookup, where a split LSOA has one row per part; "
                "give the best-fit lookup, which has one 2021 LSOA per 2011 LSOA.",
            )
        rows.setdefault(code11, (code21, row_number))
    if not rows:
        raise InputRefused(f"{path}: the LSOA best-fit lookup has no rows", "Give a lookup with rows.")
    table = pd.DataFrame(
        {"lsoa11_code": list(rows), "lsoa21_code": [v[0] for v in rows.values()]}
    ).sort_values("lsoa11_code", ignore_index=True)
    table.attrs["source"] = f"best-fit lookup {path.name}"
    return table

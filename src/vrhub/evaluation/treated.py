"""Which LSOAs were treated: codes as given or read from a file, checked against the panel's LSOAs.

A 2011 code given for a panel on 2021 LSOAs is put in its best-fit 2021 LSOA (as its records were), and the
result says so; any other code the area does not have is refused by name.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from vrhub.errors import BadValue, InputRefused
from vrhub.geography.best_fit import load_best_fit

LSOA_CODE = re.compile(r"^[EW]01\d{6}$")


def lsoas_from_file(path: Path) -> list[str]:
    """LSOA codes from the first column of a CSV or text file, one per row; a header row (any first cell
    that is not a code, on row 1 only) and blank rows are skipped. A bad code is refused with its file, row
    and column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputRefused(f"{path}: file not found", "Check the path of the LSOA list.") from None
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")
    codes: list[str] = []
    for row_number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cell = row[0].strip() if row else ""
        if not cell:
            continue
        if not LSOA_CODE.match(cell.upper()):
            if row_number == 1:
                continue
            raise InputRefused(
                f"{path}, row {row_number}, column 1: '{cell}' is not an LSOA code",
                "Give one LSOA code per row, e.g. E01006512, in the first column.",
            )
        codes.append(cell.upper())
    if not codes:
        raise InputRefused(f"{path}: no LSOA codes", "Give one LSOA code per row, e.g. E01006512.")
    return codes


def resolve_treated(
    codes: Iterable[str], known: pd.Series, vintage: int | None, best_fit: str | Path | None = None
) -> tuple[list[str], dict[str, str]]:
    """The treated LSOAs as codes of the panel (`known`: its lsoa_code column), in the order given without
    repeats, and the 2011 codes put in their best-fit 2021 LSOA ({2011 code: 2021 code})."""
    given = [c.strip().upper() for c in codes if c and c.strip()]
    if not given:
        raise BadValue(
            "no treated LSOAs given", "Name the LSOAs the intervention covered.", parameter="lsoas"
        )
    have = set(known)
    mapped: dict[str, str] = {}
    lookup: pd.Series | None = None
    out: list[str] = []
    for code in given:
        if code not in have and vintage == 2021:
            if lookup is None:
                lookup = load_best_fit(best_fit).set_index("lsoa11_code")["lsoa21_code"]
            if code in lookup.index and lookup[code] in have:
                mapped[code] = lookup[code]
                code = lookup[code]
        if code not in have:
            raise BadValue(
                f"LSOA '{code}' is not one of the area's {vintage or ''} LSOAs".replace("  ", " "),
                f"Give LSOA codes of the area on its {vintage} boundaries."
                if vintage
                else "Give LSOA codes of the area.",
                parameter="lsoas",
                value=code,
            )
        if code not in out:
            out.append(code)
    return out, mapped

"""Reference data: the LSOA-to-borough lookup and ONS population by single year of age.

Both replace what they restate (the same LSOA and vintage, the same area and year) rather than add to it.
vrhub ships Merseyside's and loads them on `vrhub init`; any other area loads from the same formats.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from vrhub.config import FORCE_CODE, FORCE_NAME
from vrhub.errors import InputRefused
from vrhub.sources.ingest import LoadSummary, file_sha256
from vrhub.warehouse import Warehouse
from vrhub.warehouse.tables import SCHEMAS

_LOOKUP_COLUMNS = ("lsoa_vintage", "lsoa_code", "lsoa_name", "lad_code", "lad_name")
_POPULATION_COLUMNS = ("Code", "Name", "All ages")


def _text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # ONS's 2020 file is Windows-1252; every byte decodes there, so this is the last resort.
        return data.decode("cp1252")


def _strings(text: str, path: Path) -> pa.Table:
    """Every column as text: codes keep their leading zeros and quoted "1,234" numbers stay intact."""
    data = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    try:
        names = pacsv.read_csv(io.BytesIO(data)).column_names
        return pacsv.read_csv(
            io.BytesIO(data),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}),
        )
    except pa.ArrowInvalid as exc:
        raise InputRefused(f"{path}: cannot be read as CSV ({exc})", "Check it is a comma-separated file.") from exc


def read_lookup(path: Path) -> pa.Table:
    table = _strings(_text(path), path)
    missing = [c for c in _LOOKUP_COLUMNS if c not in table.column_names]
    if missing:
        raise InputRefused(
            f"{path}: refused, nothing loaded: missing required column(s) {', '.join(map(repr, missing))}",
            f"An areas file needs {', '.join(_LOOKUP_COLUMNS)} (optionally pfa_code, pfa_name).",
        )
    rel = duckdb.connect().from_arrow(table)
    pfa_code = "pfa_code" if "pfa_code" in table.column_names else f"'{FORCE_CODE}'"
    pfa_name = "pfa_name" if "pfa_name" in table.column_names else f"'{FORCE_NAME}'"
    return rel.query(
        "t",
        f"""SELECT CAST(lsoa_vintage AS INTEGER) AS lsoa_vintage, CAST(lsoa_code AS VARCHAR) AS lsoa_code,
                   CAST(lsoa_name AS VARCHAR) AS lsoa_name, CAST(lad_code AS VARCHAR) AS lad_code,
                   CAST(lad_name AS VARCHAR) AS lad_name, CAST({pfa_code} AS VARCHAR) AS pfa_code,
                   CAST({pfa_name} AS VARCHAR) AS pfa_name FROM t""",
    ).to_arrow_table()


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


def read_population(path: Path, year: int | None = None) -> pa.Table:
    """ONS `Code,Name,Geography,All ages,0..89,90+` (wide) -> (year, area_code, area_name, age, population)."""
    the_year = population_year(path, year)
    text = _text(path)
    header = text.splitlines()[0].split(",") if text else []
    missing = [c for c in _POPULATION_COLUMNS if c not in header]
    if missing:
        raise InputRefused(
            f"{path}: refused, nothing loaded: missing required column(s) {', '.join(map(repr, missing))}",
            "A population file is ONS's mid-year estimates by single year of age (Code, Name, All ages, 0...90+).",
        )
    table = _strings(text, path)
    ages = [c for c in table.column_names if re.fullmatch(r"\d+\+?", c or "")]
    table = table.select(["Code", "Name", *ages]).cast(
        pa.schema([(c, pa.string()) for c in ["Code", "Name", *ages]])
    )
    rel = duckdb.connect().from_arrow(table)
    long = rel.query(
        "t",
        f"""UNPIVOT (SELECT * FROM t WHERE Code IS NOT NULL AND trim(Code) <> '')
            ON {', '.join('"' + a + '"' for a in ages)} INTO NAME age_label VALUE raw""",
    ).query(
        "u",
        f"""SELECT {the_year}::INTEGER AS year, trim(Code) AS area_code, trim(Name) AS area_name,
                   CAST(replace(age_label, '+', '') AS INTEGER) AS age,
                   CAST(replace(raw, ',', '') AS BIGINT) AS population FROM u""",
    )
    return long.to_arrow_table()


def load_reference(wh: Warehouse, kind: str, path: Path, year: int | None = None) -> LoadSummary:
    table = read_lookup(path) if kind == "areas" else read_population(path, year)
    target, keys = ("lsoa_lookup", ("lsoa_vintage", "lsoa_code")) if kind == "areas" else (
        "population", ("year", "area_code"))
    summary = LoadSummary(file=str(path), source=kind, rows_read=table.num_rows, rows_loaded=table.num_rows)
    table = table.cast(SCHEMAS[target].to_pyarrow())
    with wh.transaction():
        staged = f"stage_{target}"
        wh.con.create_table(staged, table, temp=True, overwrite=True)
        match = " AND ".join(f"{target}.{k} = s.{k}" for k in keys)
        wh.execute(f"DELETE FROM {target} WHERE EXISTS (SELECT 1 FROM {staged} s WHERE {match})")
        wh.insert(target, wh.table(staged))
        load_id = (wh.table("loads").load_id.max().to_pyarrow().as_py() or 0) + 1
        record = {
            "load_id": [load_id], "file_name": [path.name], "file_path": [str(path)],
            "sha256": [file_sha256(path) if path.exists() else ""], "source": [kind],
            "rows_read": [table.num_rows], "rows_loaded": [table.num_rows], "rows_quarantined": [0],
            "duplicates_skipped": [0], "loaded_at": [dt.datetime.now(dt.UTC).replace(tzinfo=None)],
            "definition_version": [""],
        }
        wh.insert("loads", pa.table(record, schema=SCHEMAS["loads"].to_pyarrow()))
        wh.execute(f"DROP TABLE IF EXISTS {staged}")
    summary.load_id = load_id
    return summary


def bundled_files() -> list[tuple[str, Path, int | None]]:
    data = resources.files("vrhub") / "data"
    return [
        ("areas", Path(str(data / "merseyside_lsoa_to_lad.csv")), None),
        ("population", Path(str(data / "ons_mid2019_population_merseyside.csv")), 2019),
        ("population", Path(str(data / "ons_mid2020_population_merseyside.csv")), 2020),
    ]

"""Files the field's tools open (`vrhub export`): measures and any table as Parquet, CSV or XLSX; hot spots
and areas as GeoPackage or GeoJSON (QGIS); the Home Office VRU success-measures return as XLSX.

Every spreadsheet (CSV, XLSX) goes through `vrhub.spreadsheet`, so no cell runs as a formula. A file is
written beside its target and renamed into place: a reader never opens half of one. The figures are those of
`vrhub measures` and `vrhub hotspots`, from the same library calls; this floor only writes them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from vrhub.errors import BadValue, one_of

TABLE_FORMATS = ("parquet", "csv", "xlsx")
GEO_FORMATS = ("gpkg", "geojson")
SUFFIXES = {".parquet": "parquet", ".csv": "csv", ".xlsx": "xlsx", ".gpkg": "gpkg", ".geojson": "geojson"}


@dataclass
class Export:
    path: Path
    format: str
    rows: int
    notes: list[str] = field(
        default_factory=list
    )  # what the reader should know (part periods, areas left out)


def chosen_format(out: Path, fmt: str | None, allowed: tuple[str, ...]) -> str:
    """The format asked for, or else the one the file name says; anything else is refused by name."""
    chosen = fmt.lower() if fmt else SUFFIXES.get(out.suffix.lower())
    if chosen is None:
        raise BadValue(
            f"cannot tell the format of {out.name} from its name",
            one_of(allowed),
            parameter="fmt",
            value=out.name,
        )
    if chosen not in allowed:
        raise BadValue(
            f"unknown format '{fmt or out.suffix}' for this export", one_of(allowed), parameter="fmt"
        )
    if not out.parent.is_dir():
        raise BadValue(
            f"no folder {out.parent} to write {out.name} in",
            "Create the folder first, or give a path in an existing one.",
            parameter="out",
            value=out,
        )
    return chosen


@contextmanager
def replacing(out: Path) -> Iterator[Path]:
    """A temporary path beside `out` to write to, renamed over `out` when the writing succeeds. The file is
    its owner's alone: it holds police and NHS figures."""
    work = out.with_name(f".{out.stem}.{os.getpid()}.partial{out.suffix}")  # the suffix tells GDAL the format
    try:
        yield work
        os.chmod(work, 0o600)
        os.replace(work, out)
    finally:
        work.unlink(missing_ok=True)

"""Tables to files: an Arrow table (the measures) or a warehouse table by name, as Parquet, CSV or XLSX."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from vrhub import spreadsheet
from vrhub.errors import BadValue, one_of
from vrhub.exports import Export, replacing
from vrhub.warehouse import Warehouse
from vrhub.warehouse.snapshots import stored_tables

XLSX_MAX_ROWS = 1_048_575  # a worksheet's rows, less the header
BATCH_ROWS = 100_000


def write_table(table: pa.Table, out: Path, fmt: str, sheet: str = "Sheet1") -> Export:
    """`table` as `fmt`. The CSV is what `--format csv` prints (vrhub.spreadsheet's), column for column."""
    if fmt == "xlsx" and table.num_rows > XLSX_MAX_ROWS:
        raise BadValue(
            f"{table.num_rows:,} rows do not fit in a worksheet ({XLSX_MAX_ROWS:,} at most)",
            "Export to Parquet or CSV instead.",
            parameter="fmt",
            value=fmt,
        )
    with replacing(out) as work:
        if fmt == "parquet":
            pq.write_table(table, work, compression="zstd")
        elif fmt == "csv":
            spreadsheet.write_table_csv(table, work)
        else:
            work.write_bytes(spreadsheet.frame_xlsx_bytes(table.to_pandas(), sheet))
    return Export(out, fmt, table.num_rows)


def write_warehouse_table(wh: Warehouse, name: str, out: Path, fmt: str) -> Export:
    """One table of the warehouse (or of its snapshot) as it stands, every column as stored: the pseudonyms
    stay pseudonyms, since the warehouse holds nothing else (the vault is no table of it)."""
    known = stored_tables(wh)
    if name not in known:
        raise BadValue(f"no table '{name}' in the warehouse", one_of(known), parameter="name", value=name)
    if fmt != "parquet":
        return write_table(wh.to_arrow(wh.table(name)), out, fmt, sheet=name)
    # Parquet a batch at a time: a table of millions of rows is never held whole.
    reader = wh.con.to_pyarrow_batches(wh.table(name), chunk_size=BATCH_ROWS)
    rows = 0
    with replacing(out) as work, pq.ParquetWriter(work, reader.schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch)
            rows += batch.num_rows
    return Export(out, fmt, rows)

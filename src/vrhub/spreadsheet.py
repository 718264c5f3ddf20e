"""Cells a spreadsheet will not run: every CSV and XLSX vrhub writes passes its cells through `cell`.

Excel, LibreOffice and Google Sheets run a cell that starts with =, +, - or @ as a formula, and a tab or
carriage return first is stripped by some of them before they look. A partner's `=HYPERLINK("http://evil","x")`
or `+cmd|' /C calc'!A0` in a download would then run on an analyst's machine. So, as OWASP advises, such text
is written with a leading ' and every reader shows it as the words it is.

The rule, exactly:
- only text is changed (an object other than a number or date is judged by its text); numbers, dates and
  booleans held as such are never touched;
- text is changed when its first character is = + - @ tab or carriage return, or a full-width ＝ ＋ － ＠ (an
  East Asian input method types these and some spreadsheets read them as the ASCII sign), or when it starts
  with other white space and then one of = + - @ (importers that trim spaces, e.g. LibreOffice's "Trim
  spaces", would otherwise reach the sign);
- except text that is exactly a plain decimal number in ASCII digits (-12.5, +3, -.5, -1e3, 1E+06): a
  spreadsheet reads it as that number and a number cannot be a formula, while analysts must be able to add
  up negative changes. `-2+3`, `-1,234`, ` -5`, `-inf` and `-0x10` are not plain numbers and are prefixed.
| and % are not treated as signs: neither starts a formula on its own (DDE needs the = or + first).

The library floor: pandas and openpyxl only, no web framework, so the CLI, the report writer, the web
application and delivery all call the same function.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from numbers import Number
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyarrow as pa

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SIGNS = "=+-@"
FULL_WIDTH_SIGNS = "\uff1d\uff0b\uff0d\uff20"  # ＝ ＋ － ＠
TRIGGERS = frozenset(SIGNS + FULL_WIDTH_SIGNS + "\t\r")
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def needs_quote(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula (see the module's rule)."""
    first = text[:1]
    if first in TRIGGERS:
        return PLAIN_NUMBER.fullmatch(text) is None
    if first.isspace():
        rest = text.lstrip()
        return rest[:1] in TRIGGERS
    return False


def cell(value: Any) -> Any:
    """The value as it must be written to a spreadsheet: risky text with a leading ', anything else as is.

    Any other object (a model instance, a UUID) is judged by the text a writer would write for it."""
    if value is None or isinstance(value, Number | dt.date | dt.time | dt.timedelta):
        return value
    text = value if isinstance(value, str) else str(value)
    return "'" + text if needs_quote(text) else value


def row(values: Iterable[Any]) -> list[Any]:
    return [cell(v) for v in values]


# -- CSV ----------------------------------------------------------------------------------------------------
def write_csv(
    handle: IO[str], header: Sequence[Any], rows: Iterable[Sequence[Any]], lineterminator: str = "\n"
) -> None:
    """One header row then the rows, every cell through `cell` (None is written as an empty cell)."""
    writer = csv.writer(handle, lineterminator=lineterminator)
    writer.writerow(row(header))
    writer.writerows(row(r) for r in rows)


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]], lineterminator: str = "\n") -> str:
    buffer = io.StringIO()
    write_csv(buffer, header, rows, lineterminator)
    return buffer.getvalue()


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], lineterminator: str = "\r\n"
) -> Iterator[str]:
    """The CSV one line at a time, for a streamed download: the whole file is never held in memory."""
    writer = csv.writer(_Echo(), lineterminator=lineterminator)
    yield writer.writerow(row(header))
    for r in rows:
        yield writer.writerow(row(r))


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and column names) have been through `cell`; number columns are untouched."""
    out = frame.copy(deep=False)
    for i, dtype in enumerate(frame.dtypes):
        if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype):
            continue  # bool, int, float and timestamps hold no text
        column = frame.iloc[:, i]
        if isinstance(dtype, pd.StringDtype):
            # Only text: judge just the cells whose first character could matter (a large CLI table
            # then costs little more than before).
            first = column.str[:1]
            risky = (first.isin(TRIGGERS) | first.str.isspace()).fillna(False).astype(bool)
            if risky.any():
                column = column.astype(object)
                column[risky] = column[risky].map(cell)
            out.isetitem(i, column)
        else:
            out.isetitem(i, column.astype(object).map(cell))
    out.columns = [cell(c) for c in frame.columns]
    return out


def write_frame_csv(frame: pd.DataFrame, target: Path | IO[str] | Any, lineterminator: str = "\n") -> None:
    """A pandas frame as CSV (one header row, no index) to a path or anything with write()."""
    safe_frame(frame).to_csv(target, index=False, lineterminator=lineterminator)


def write_table_csv(table: pa.Table, target: Path | IO[str] | Any, lineterminator: str = "\n") -> None:
    """An Arrow table as CSV, written as pandas writes it (a count column with gaps reads 3.0)."""
    write_frame_csv(table.to_pandas(), target, lineterminator)


# -- XLSX ---------------------------------------------------------------------------------------------------
def _xlsx_value(value: Any) -> Any:
    # openpyxl writes str, numbers and bools; numpy scalars as their Python value; anything else as its text.
    if value is None or isinstance(value, str | int | float | bool):
        return cell(value)
    if hasattr(value, "item"):
        return cell(value.item())
    return cell(str(value))


def xlsx_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]], sheet: str = "Sheet1") -> bytes:
    """A workbook of one sheet (the header row then the rows), every cell through `cell`."""
    return workbook_bytes([(sheet, header, rows)])


def workbook_bytes(sheets: Iterable[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook of several sheets, each (name, header row, rows), every cell through `cell`."""
    from openpyxl import Workbook  # only the downloads that make a workbook pay for the import

    book = Workbook(write_only=True)
    for sheet, header, rows in sheets:
        ws = book.create_sheet(sheet[:31])
        ws.append([_xlsx_value(c) for c in header])
        for r in rows:
            ws.append([_xlsx_value(v) for v in r])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def frame_xlsx_bytes(frame: pd.DataFrame, sheet: str = "Sheet1") -> bytes:
    """A pandas frame as a one-sheet workbook; a blank (NaN, NA, None) is an empty cell."""
    plain = frame.astype(object).where(frame.notna(), None)
    return xlsx_bytes([str(c) for c in frame.columns], plain.itertuples(index=False), sheet)

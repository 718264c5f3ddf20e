"""vrhub.spreadsheet: the one rule for text a spreadsheet would run as a formula, its CSV and XLSX writers,
and a scan of the source tree so no later writer skips it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from openpyxl import load_workbook

from vrhub import spreadsheet
from vrhub.spreadsheet import cell

SRC = Path(__file__).resolve().parents[1] / "src" / "vrhub"

# What a partner can type into a title, a note or a file: each must reach a spreadsheet as words.
PARTNER_TYPED = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "\t=1",
    "\r=1",
    "=1+1",
    "-",
    "+",
    "@",
    "－2+3",  # full-width hyphen-minus
    "＝1+1",  # full-width equals
    "＋1",
    "＠SUM(1)",
    " =1+1",  # a space first: importers that trim spaces reach the =
    "\n=1+1",
    "\u00a0=1+1",  # a no-break space first
    " -5",  # a number only after a space is not a plain number
    "-1,234",
    "-inf",
    "-nan",
    "-0x10",
    "-1_000",
    "+-5",
    "-5-",
    "-1e",
    "-e3",
    "-٣",  # an Arabic-Indic digit is not an ASCII digit
    "=-5",
]


@pytest.mark.parametrize("text", PARTNER_TYPED)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text: str) -> None:
    assert cell(text) == "'" + text


PLAIN_NUMBERS = ["-5", "+3.2", "-12.5", "-0", "-.5", "-5.", "-1e3", "+1E+06", "-2.5e-3", "+007"]


@pytest.mark.parametrize("text", PLAIN_NUMBERS)
def test_text_that_is_a_plain_number_is_kept_as_analysts_read_it(text: str) -> None:
    assert cell(text) == text


@pytest.mark.parametrize(
    "text",
    ["", "Mentoring in schools", "'=1+1", "a=1", "1+1", "2019-03-02", "E08000012", "|cmd", "%1", "5-2", " x"],
)
def test_ordinary_text_is_kept(text: str) -> None:
    assert cell(text) == text


@pytest.mark.parametrize(
    "value",
    [
        None,
        -5,
        -12.5,
        float("nan"),
        Decimal("-120000.50"),
        True,
        dt.date(2021, 7, 1),
        dt.datetime(2021, 7, 1),
    ],
)
def test_values_held_as_numbers_dates_or_booleans_are_untouched(value: object) -> None:
    assert cell(value) is value


def test_another_object_is_judged_by_the_text_a_writer_would_write() -> None:
    class Organisation:
        def __init__(self, name: str) -> None:
            self.name = name

        def __str__(self) -> str:
            return self.name

    assert cell(Organisation("=HYPERLINK(1)")) == "'=HYPERLINK(1)"
    safe = Organisation("Test Youth Charity")
    assert cell(safe) is safe


def test_csv_text_quotes_cells_and_header_and_keeps_numbers() -> None:
    text = spreadsheet.csv_text(["=name", "change"], [["=1+1", -12.5], ["-12.5", None], ["@x", 3]])
    assert text == "'=name,change\n'=1+1,-12.5\n-12.5,\n'@x,3\n"


def test_csv_lines_stream_the_same_rows_with_crlf() -> None:
    lines = list(spreadsheet.csv_lines(["a", "b"], iter([['=HYPERLINK("http://evil","x")', -5]])))
    assert lines == ["a,b\r\n", '"\'=HYPERLINK(""http://evil"",""x"")",-5\r\n']


def test_an_arrow_table_as_csv_keeps_number_columns_and_quotes_text_columns() -> None:
    table = pa.table(
        {
            "file_name": ["=1+1.csv", " =1.csv", None],
            "value": pa.array(["-2+3", "-12.5", "\t=1"]),
            "kind": pa.array(["@a", "b", "@a"]).dictionary_encode(),
            "change": [-12.5, None, 3.0],
            "n": pa.array([1, None, 3]),
            "day": pa.array([dt.date(2019, 3, 2)] * 3),
        }
    )
    out = io.StringIO()
    spreadsheet.write_table_csv(table, out)
    # Hand-written: text prefixed, the float column as pandas writes it, the int column with a gap as 1.0.
    assert out.getvalue() == (
        "file_name,value,kind,change,n,day\n"
        "'=1+1.csv,'-2+3,'@a,-12.5,1.0,2019-03-02\n"
        "' =1.csv,-12.5,b,,,2019-03-02\n"
        ",'\t=1,'@a,3.0,3.0,2019-03-02\n"
    )


def test_a_frame_to_a_path(tmp_path: Path) -> None:
    frame = pd.DataFrame({"title": ["+cmd|' /C calc'!A0"], "amount": [-5]})
    spreadsheet.write_frame_csv(frame, tmp_path / "x.csv")
    rows = list(csv.reader((tmp_path / "x.csv").open()))
    assert rows == [["title", "amount"], ["'+cmd|' /C calc'!A0", "-5"]]


def test_xlsx_cells_read_back_as_text_with_a_quote_never_as_formulas() -> None:
    frame = pd.DataFrame(
        {
            "title": ['=HYPERLINK("http://evil","x")', "@SUM(1)", None],
            "change": [-12.5, float("nan"), 3.0],
            "text_number": ["-12.5", "-2+3", "\t=1"],
        }
    )
    sheet = load_workbook(io.BytesIO(spreadsheet.frame_xlsx_bytes(frame, sheet="figures")))["figures"]
    rows = [[c for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [c.value for c in rows[0]] == ['\'=HYPERLINK("http://evil","x")', -12.5, "-12.5"]
    assert [c.value for c in rows[1]] == ["'@SUM(1)", None, "'-2+3"]
    assert [c.value for c in rows[2]] == [None, 3, "'\t=1"]
    assert all(c.data_type != "f" for r in rows for c in r)
    assert rows[0][0].data_type == "s" and rows[0][1].data_type == "n"


# -- no writer skips the helper ------------------------------------------------------------------------------
WRITERS = re.compile(
    r"\bcsv\.(?:writer|DictWriter)\(|from csv import|\.to_csv\(|\.to_excel\(|\bWorkbook\(|openpyxl|"
    r"xlsxwriter|pyarrow\.csv|\bpacsv\.|\bCOPY\b.*\bTO\b"
)
ALLOWED = {
    "spreadsheet.py": "the helper itself",
    # Synthetic source files for vrhub to ingest (the demo, benchmarks): machine input, not a download, and
    # a leading ' would change the values loaded.
    "synth/_common.py": "synthetic source files",
    "synth/police.py": "synthetic source files",
    "synth/people.py": "synthetic source files",
    # Reads the vault's sealed batches back through pyarrow's CSV reader: nothing is written.
    "linkage/prepare.py": "reads, does not write",
    # The delivery indicators feed: every cell is a count or a fixed label, and the file is read back by the
    # `indicators` source, where a leading ' would change the value loaded.
    "web/delivery/indicators.py": "a feed vrhub reads back",
    # The shipped LSOA best-fit table, regenerated by a maintainer from the shipped boundaries: codes and
    # shares only, read back by vrhub itself.
    "geography/best_fit.py": "shipped reference data vrhub reads back",
}


def test_every_csv_and_xlsx_writer_goes_through_the_helper() -> None:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        hits = [line.strip() for line in path.read_text("utf-8").splitlines() if WRITERS.search(line)]
        if hits and name not in ALLOWED:
            found[name] = hits
    assert found == {}, "write CSV and XLSX through vrhub.spreadsheet (or add the file to ALLOWED, with why)"
    for name in ALLOWED:
        assert (SRC / name).exists(), f"{name} is allowed but gone: remove it from ALLOWED"

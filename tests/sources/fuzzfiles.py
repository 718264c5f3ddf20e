"""Malformed input files for every source, made from the source's own spec and good fixture.

Shared by the property-based test (`test_fuzz_files.py`, driven by hypothesis) and `benchmarks/fuzz.py`
(driven by a seeded `random.Random`, for a thousand files and more): both give `make_file` something that
draws integers, and the same mutations follow.

A file starts as the good fixture's header and rows, then takes a few mutations of its table (columns
missing, extra, duplicated, reordered, renamed with invisible characters; ragged, blank, repeated and huge
rows; bad dates, numbers out of range, formula-like text; quotes never closed or astray), is written with a
chosen line ending, quoting and encoding, and may then be damaged byte by byte (invalid UTF-8, NULs, mixed
line endings, a blank first line, a cut, binary junk). `count_rows` counts the data rows such a file holds
with Python's csv module, independently of vrhub, where the damage leaves it well-formed enough to count.
"""

from __future__ import annotations

import csv
import io
import random
import re
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import duckdb

from vrhub.errors import VrhubError
from vrhub.hub import Hub
from vrhub.sources import SOURCES
from vrhub.sources.ingest import LoadSummary
from vrhub.sources.reading import normalise
from vrhub.sources.reference import reference_spec
from vrhub.sources.spec import Column, SourceSpec

T = TypeVar("T")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GOOD = {
    "police-records": "police-records/good.csv",
    "police-uk": "police-uk/2019-09-merseyside-street-sample.csv",
    "ed-attendances": "ed-attendances/good.csv",
    "hospital-admissions": "hospital-admissions/good.csv",
    "ambulance": "ambulance/good.csv",
    "fire": "fire/good.csv",
    "indicators": "indicators/good.csv",
    "education-records": "education-records/good.csv",
    "participants": "participants/good.csv",
    "areas": "areas/good.csv",
    "population": "population/ONS2020_sample.csv",
}
ALL_SOURCES = tuple(GOOD)
assert set(ALL_SOURCES) == {*SOURCES, "areas", "population"}, "a source without a fuzzed good file"
BASE_ROWS = 12  # the first rows of each good file: enough for every mutation, few enough to be quick

# Characters a header name may carry without showing them. Python's str.split() counts NBSP, U+2028 and
# U+0085 as spaces (so vrhub matches a name holding one), but not the zero-width ones.
INVISIBLE = ("\u200b", "\u00a0", "\ufeff", "\u00ad", "\u200f", "\u2060", "\u200d", "\u2028", "\x85")
ZERO_WIDTH = ("\u200b", "\ufeff", "\u00ad", "\u200f", "\u2060", "\u200d")

# Values each kind of column refuses, or that sit at its edges.
BAD_VALUES: dict[str, tuple[str, ...]] = {
    "date": ("2019-02-30", "31/13/2019", "2019-3-2x", "0000-00-00", "9999-12-31", "2019-02-29", "1/1/19"),
    "datetime": ("2019-03-02 25:15", "2019-03-02T00:40", "02/03/2019 24:00", "2019-03-02 00:40:60.5", "2019"),
    "month": ("2019-13", "2019-00", "19-09", "2019-09-01", "9999-99"),
    "flag": ("maybe", "YES ", "2", "\uff39", "ja"),
    "age": ("121", "-1", "1e2", "18.5", "99999999999999999999", "0x10", " 19 ", "-0", "+5"),
    "sex": ("Q", "mal", "\u2642"),
    "lsoa": ("E0100641", "E010064123", "S01006412", "e01006412", "E01 006412"),
    "choice": ("not-a-choice", "KNIFE ", "street\u200b"),
    "exact_choice": ("2001", "Robbery ", "robbery"),
    "offence_code": ("999", "0008N", "8n", "00"),
    "icd10": ("A00", "X9", "X99.99", "x99.1", "Y"),
    "number": ("1e309", "-1e309", "nan", "inf", "1,2,3", "1.2.3", "--1", "1_000"),
    "count": ("-1", "1.5", "9999999999999999", "1,23,4", "1e3", "99999999999999999999", "1 000"),
    "period": ("2019/21", "2019-Q5", "2019-13", "19", "2019/2020"),
    "upper": ("e08000012", "X", "E0800001\u00e9"),
}
GENERIC_VALUES = (
    "",
    "   ",
    '=HYPERLINK("http://example.org","click")',
    "+1",
    "-2+3",
    "@SUM(A1:A2)",
    "=cmd|' /C calc'!A0",
    "\t=1",
    "NULL",
    "NaN",
    "\U0001f600",
    "a,b",
    'say "hi"',
    "line\nbreak",
    "line\r\nbreak",
    "x\x00y",
    "\u00df\u00e9\u00f1",
    "\u200b",
    "\ufeff",
    "'; DROP TABLE loads; --",
    "\\N",
)
# Extra columns, among them names the staging or DuckDB use themselves.
EXTRA_NAMES = (
    "comments",
    "Notes ",
    "extra_1",
    "column__2",
    "\u00e9t\u00e9",
    "rowid",
    "RowID",
    "__seq",
    "__blank",
    "__raw_1",
    "row_key",
    "load_id",
    '"quoted"',
    "a'b",
    "x\\y",
    "{}",
    "--",
)
TWINS = (
    ("Stra\u00dfe", "STRASSE"),
    ("\u212a", "k"),  # Kelvin sign
    ("\u00e9", "e\u0301"),  # NFC and NFD
    ("\ufb01le", "file"),
    ("\u0130", "i\u0307"),
    ("ID", "id"),
)
INVALID_UTF8 = (b"\xff", b"\xc3\x28", b"\xe2\x82", b"\x80", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xe9")
NEWLINES = ("\n", "\r\n", "\r")


class Draw(Protocol):
    def integer(self, low: int, high: int) -> int: ...


class RandomDraw:
    """Draws from a seeded `random.Random` (the benchmark)."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def integer(self, low: int, high: int) -> int:
        return self.random.randint(low, high)


def choose(draw: Draw, options: Sequence[T]) -> T:
    return options[draw.integer(0, len(options) - 1)]


def chance(draw: Draw, percent: int) -> bool:
    return draw.integer(1, 100) <= percent


class Raw(str):
    """A cell written exactly as it is, unquoted (a quote never closed, a stray quote)."""


@dataclass
class Draft:
    source: str
    spec: SourceSpec
    header: list[str]
    rows: list[list[str]]
    labels: list[str] = field(default_factory=list)
    newline: str = "\n"
    quote_all: bool = False
    encoding: str = "utf-8"  # how the text is written
    option: str | None = None  # the --encoding vrhub is given
    countable: bool = True
    # (must appear in the refusal, why a refusal is certain): when the file must be refused.
    refusal: tuple[str, str] | None = None

    def kind(self, name: str) -> Column | None:
        return next((c for c in self.spec.columns if normalise(c.name) == normalise(name)), None)


@dataclass(frozen=True)
class FuzzFile:
    source: str
    name: str
    data: bytes
    labels: tuple[str, ...]
    option: str | None  # --encoding
    countable: bool
    refusal: tuple[str, str] | None
    # How the counting decodes it: the encoding vrhub reads it in.
    read_as: str
    # The identifiers the good rows hold (crime and person references, NHS numbers...): never stored as
    # they are, wherever a mutation moved them.
    secrets: tuple[str, ...] = ()

    def describe(self) -> str:
        return (
            f"{self.source} {self.name} ({', '.join(self.labels) or 'unchanged'}; {len(self.data):,} bytes)"
        )


def spec_of(source: str) -> SourceSpec:
    return SOURCES[source] if source in SOURCES else reference_spec(source, Path("ONS2020.csv"))


def good_table(source: str) -> tuple[list[str], list[list[str]]]:
    text = (FIXTURES / GOOD[source]).read_text(encoding="utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    return records[0], [r for r in records[1 : BASE_ROWS + 1] if r]


def file_name(source: str, number: int) -> str:
    # A population file's name carries the year of its estimates.
    return f"ONS2020-fuzz-{number:05d}.csv" if source == "population" else f"fuzz-{number:05d}-{source}.csv"


# -- mutations of the table ---------------------------------------------------------------------------------


def _column(d: Draft, draw: Draw) -> int | None:
    return draw.integer(0, len(d.header) - 1) if d.header else None


def _row(d: Draft, draw: Draw) -> list[str] | None:
    return d.rows[draw.integer(0, len(d.rows) - 1)] if d.rows else None


def drop_column(d: Draft, draw: Draw) -> None:
    i = _column(d, draw)
    if i is None:
        return
    d.header.pop(i)
    for row in d.rows:
        if i < len(row):
            row.pop(i)


def extra_column(d: Draft, draw: Draw) -> None:
    name = choose(draw, EXTRA_NAMES)
    at = draw.integer(0, len(d.header))
    d.header.insert(at, name)
    for row in d.rows:
        row.insert(min(at, len(row)), choose(draw, ("x", "", "1", "a,b")))


def twin_columns(d: Draft, draw: Draw) -> None:
    """Two names one folding or normalisation of Unicode would make one (DuckDB's, Python's)."""
    pair = choose(draw, TWINS)
    for name in pair:
        at = draw.integer(0, len(d.header))
        d.header.insert(at, name)
        for row in d.rows:
            row.insert(min(at, len(row)), name[:1])


def many_columns(d: Draft, draw: Draw) -> None:
    n = choose(draw, (50, 300, 1500))
    d.header += [f"extra{i}" for i in range(n)]
    for row in d.rows:
        row += [str(i % 7) for i in range(n)]


# A second column of an identifier's name spelt otherwise ("CRIME_REF" beside "crime_ref"): the file is
# refused, naming the column. Labelled so a replay can find such files.
IDENTIFIER_TWIN = "identifier_twin"


def duplicate_column(d: Draft, draw: Draw) -> None:
    i = _column(d, draw)
    if i is None:
        return
    name = d.header[i]
    twin = choose(draw, (name, name.upper(), name.lower(), name + " "))
    col = d.kind(name)
    if twin != name and col is not None and col.kind == "identifier":
        d.labels.append(IDENTIFIER_TWIN)
    at = draw.integer(0, len(d.header))
    d.header.insert(at, twin)
    for row in d.rows:
        row.insert(min(at, len(row)), row[i] if i < len(row) and chance(draw, 50) else "other")


def reorder_columns(d: Draft, draw: Draw) -> None:
    order = list(range(len(d.header)))
    for i in range(len(order) - 1, 0, -1):  # Fisher-Yates, drawn
        j = draw.integer(0, i)
        order[i], order[j] = order[j], order[i]
    d.header = [d.header[i] for i in order]
    d.rows = [[row[i] for i in order if i < len(row)] for row in d.rows]


def rename_variant(d: Draft, draw: Draw) -> None:
    """Case, spaces for underscores and surrounding spaces: names vrhub still matches."""
    i = _column(d, draw)
    if i is None:
        return
    name = d.header[i]
    d.header[i] = choose(
        draw, (name.upper(), name.title(), name.replace("_", " "), f"  {name} ", name.replace(" ", "_"))
    )


def invisible_header(d: Draft, draw: Draw) -> None:
    i = _column(d, draw)
    if i is None:
        return
    name, char = d.header[i], choose(draw, INVISIBLE)
    at = choose(draw, (0, len(name) // 2, len(name)))
    d.header[i] = name[:at] + char + name[at:]


def blank_header_name(d: Draft, draw: Draw) -> None:
    i = _column(d, draw)
    if i is not None:
        d.header[i] = choose(draw, ("", " "))


def header_only(d: Draft, draw: Draw) -> None:
    d.rows = []


def duplicate_rows(d: Draft, draw: Draw) -> None:
    row = _row(d, draw)
    if row is not None:
        for _ in range(draw.integer(1, 3)):
            d.rows.insert(draw.integer(0, len(d.rows)), list(row))


def many_rows(d: Draft, draw: Draw) -> None:
    if d.rows:
        n = choose(draw, (100, 1000))
        d.rows = [list(d.rows[i % len(d.rows)]) for i in range(n)]


def short_row(d: Draft, draw: Draw) -> None:
    row = _row(d, draw)
    if row:
        del row[len(row) - draw.integer(1, len(row)) :]


def long_row(d: Draft, draw: Draw) -> None:
    row = _row(d, draw)
    if row is not None:
        row += [choose(draw, ("", "x", "1"))] * draw.integer(1, 3)


def blank_rows(d: Draft, draw: Draw) -> None:
    for _ in range(draw.integer(1, 3)):
        width = choose(draw, (0, len(d.header), max(len(d.header) - 1, 0), len(d.header) + 1))
        d.rows.insert(draw.integer(0, len(d.rows)), [""] * width)


def bad_value(d: Draft, draw: Draw) -> None:
    row, i = _row(d, draw), _column(d, draw)
    if row is None or i is None or i >= len(row):
        return
    col = d.kind(d.header[i])
    kind = col.kind if col is not None else "text"
    row[i] = choose(draw, BAD_VALUES.get(kind, GENERIC_VALUES))


def odd_value(d: Draft, draw: Draw) -> None:
    row, i = _row(d, draw), _column(d, draw)
    if row is not None and i is not None and i < len(row):
        row[i] = choose(draw, GENERIC_VALUES)


def huge_value(d: Draft, draw: Draw) -> None:
    row, i = _row(d, draw), _column(d, draw)
    if row is not None and i is not None and i < len(row):
        # Past the 64 KB vrhub reads for the header, and (rarely) past DuckDB's 2 MB line limit.
        size = choose(draw, (5_000, 70_000, 70_000, 2_200_000))
        row[i] = choose(draw, ("A", "\u00e9", "a,", "\n"))[0] * size


def huge_header_name(d: Draft, draw: Draw) -> None:
    i = _column(d, draw)
    if i is not None:
        d.header[i] = d.header[i] + "x" * choose(draw, (300, 70_000))


def unterminated_quote(d: Draft, draw: Draw) -> None:
    row, i = _row(d, draw), _column(d, draw)
    if row is not None and i is not None and i < len(row):
        row[i] = Raw('"' + row[i].replace('"', "").replace("\n", " ").replace("\r", " "))
        d.countable = False


def stray_quote(d: Draft, draw: Draw) -> None:
    """A quote inside an unquoted value (`a 6" blade`): a row of its own still."""
    row, i = _row(d, draw), _column(d, draw)
    if row is not None and i is not None and i < len(row):
        plain = "".join(ch for ch in row[i] if ch not in '",\r\n') or "x"
        row[i] = Raw(plain[:1] + '"' + plain[1:])


TABLE_MUTATIONS: dict[str, Callable[[Draft, Draw], None]] = {
    f.__name__: f
    for f in (
        drop_column,
        extra_column,
        twin_columns,
        many_columns,
        duplicate_column,
        reorder_columns,
        rename_variant,
        invisible_header,
        blank_header_name,
        header_only,
        duplicate_rows,
        many_rows,
        short_row,
        long_row,
        blank_rows,
        bad_value,
        bad_value,
        odd_value,
        huge_value,
        huge_header_name,
        unterminated_quote,
        stray_quote,
    )
}
# Drawn more often: the mutations that are cheap and find the most.
_WEIGHTED = [
    *TABLE_MUTATIONS,
    "bad_value",
    "bad_value",
    "odd_value",
    "odd_value",
    "duplicate_rows",
    "short_row",
    "long_row",
    "blank_rows",
    "invisible_header",
]
_RARE = {"many_rows", "many_columns", "huge_value", "huge_header_name"}


# -- writing, then damage to the bytes ----------------------------------------------------------------------


def _cell(value: str, quote_all: bool) -> str:
    if isinstance(value, Raw):
        return str(value)
    if quote_all or any(ch in value for ch in ',"\r\n') or value != value.strip(" "):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_text(d: Draft) -> str:
    lines = [",".join(_cell(v, d.quote_all) for v in row) for row in [d.header, *d.rows]]
    return "".join(line + d.newline for line in lines)


def encode(d: Draft, text: str) -> bytes:
    if d.encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8", errors="surrogatepass")
    return text.encode(d.encoding, errors="replace")


def _data_start(data: bytes) -> int:
    """Where the first data row starts (after the header's line ending), or the end."""
    for end in (b"\r\n", b"\n", b"\r"):
        at = data.find(end)
        if at >= 0:
            return at + len(end)
    return len(data)


def _after_comma(data: bytes, draw: Draw) -> int:
    """A position just after a comma of a data row (an insertion there leaves the rows as they are)."""
    start = _data_start(data)
    commas = [i + 1 for i in range(start, min(len(data), start + 4000)) if data[i] == 44]
    return choose(draw, commas) if commas else len(data)


def insert_invalid_utf8(data: bytes, d: Draft, draw: Draw) -> bytes:
    if chance(draw, 80):
        at = _after_comma(data, draw)
    else:  # anywhere: in the header, inside a line ending, inside a multi-byte character
        at = draw.integer(0, len(data))
        d.countable = False
    return data[:at] + choose(draw, INVALID_UTF8) + data[at:]


def insert_nul(data: bytes, d: Draft, draw: Draw) -> bytes:
    at = _after_comma(data, draw)
    return data[:at] + b"\x00" * draw.integer(1, 3) + data[at:]


def mix_newlines(data: bytes, d: Draft, draw: Draw) -> bytes:
    own = d.newline.encode()
    other = choose(draw, [n.encode() for n in NEWLINES if n != d.newline])
    positions = [i for i in range(len(data)) if data.startswith(own, i)][1:]
    if positions:
        at = choose(draw, positions)
        data = data[:at] + other + data[at + len(own) :]
        d.countable = False
    return data


def cut(data: bytes, d: Draft, draw: Draw) -> bytes:
    d.countable = False
    return data[: draw.integer(0, len(data))]


def garbage(data: bytes, d: Draft, draw: Draw) -> bytes:
    d.countable = False
    junk = bytes(draw.integer(0, 255) for _ in range(draw.integer(1, 40)))
    at = draw.integer(0, len(data))
    return data[:at] + junk + data[at:]


def blank_first_line(data: bytes, d: Draft, draw: Draw) -> bytes:
    d.countable = False
    if data.strip():
        d.refusal = ("header", "the first line is blank")
    return choose(draw, (b"\n", b"\r\n", b" ,\n", b"\n\n")) + data


BYTE_MUTATIONS: dict[str, Callable[[bytes, Draft, Draw], bytes]] = {
    f.__name__: f for f in (insert_invalid_utf8, insert_nul, mix_newlines, cut, garbage, blank_first_line)
}
WHOLE_FILES = {
    "empty": b"",
    "whitespace": b"  \r\n\n\t\n",
    "bom_only": b"\xef\xbb\xbf",
    "bom_newline": b"\xef\xbb\xbf\n",
    "commas_only": b",,,,\n,,,,\n",
    "binary": bytes(range(256)) * 4,
}


def make_file(source: str, draw: Draw, number: int = 0) -> FuzzFile:
    """One malformed file for `source`, everything about it drawn from `draw`."""
    spec = spec_of(source)
    name = file_name(source, number)
    if chance(draw, 4):
        label = choose(draw, sorted(WHOLE_FILES))
        data = WHOLE_FILES[label]
        refusal = ("empty", "nothing but spaces") if not data.replace(b"\xef\xbb\xbf", b"").strip() else None
        return FuzzFile(source, name, data, (label,), None, False, refusal, "utf-8")
    header, rows = good_table(source)
    d = Draft(source, spec, header, rows)
    if chance(draw, 70):
        fresh_rows(d, number)
    good_identifiers = set(_identifiers(d))
    for _ in range(draw.integer(0, 3)):
        label = choose(draw, _WEIGHTED)
        if label in _RARE and not chance(draw, 25):
            continue
        TABLE_MUTATIONS[label](d, draw)
        d.labels.append(label)
    secrets = tuple(v for v in _identifiers(d) if v in good_identifiers)
    d.refusal = _header_refusal(d)
    d.newline = choose(draw, NEWLINES)
    d.quote_all = chance(draw, 15)
    d.encoding = choose(draw, ("utf-8",) * 6 + ("utf-8-sig", "utf-8-sig", "cp1252", "latin-1", "utf-16"))
    if d.encoding != "utf-8":
        d.labels.append(d.encoding)
    if chance(draw, 30):
        d.option = choose(draw, ("utf-8", "windows-1252", "latin-1", "utf-16"))
        d.labels.append(f"--encoding {d.option}")
    data = encode(d, write_text(d))
    for _ in range(draw.integer(0, 2) if chance(draw, 35) else 0):
        label = choose(draw, sorted(BYTE_MUTATIONS))
        data = BYTE_MUTATIONS[label](data, d, draw)
        d.labels.append(label)
    # A refusal for the header is certain only where nothing else may be refused first.
    others = {"unterminated_quote", "huge_header_name", *BYTE_MUTATIONS} - {"blank_first_line"}
    if d.encoding not in ("utf-8", "utf-8-sig") or d.option not in (None, "utf-8") or others & {*d.labels}:
        d.refusal = None
    read_as = _read_as(d, data)
    if read_as is None:
        d.countable = False
    if d.countable and d.refusal is None and _quotes_unbalanced(data, read_as or "utf-8"):
        d.countable = False
    return FuzzFile(
        source, name, data, tuple(d.labels), d.option, d.countable, d.refusal, read_as or "", secrets
    )


def _header_refusal(d: Draft) -> tuple[str, str] | None:
    """What the refusal must say about the header: a required column spelt with a zero-width character
    is named with it; one missing outright is named."""
    found = {normalise(h) for h in d.header}
    for h in d.header:
        bare = "".join(ch for ch in h if ch not in ZERO_WIDTH)
        if bare != h and d.kind(bare) is not None:
            return "invisible character", f"{h!r} for {bare!r}"
    known = [normalise(h) for h in d.header if d.kind(h) is not None]
    if len(known) != len(set(known)):
        return "repeats the column", "a column of the source named twice"
    for col in d.spec.columns:
        if col.required and normalise(col.name) not in found:
            return repr(col.name), f"required column {col.name!r} missing"
    return None


def file_for_seed(source: str, seed: int) -> FuzzFile:
    """The file `seed` gives for `source` (the same on every machine and run)."""
    return make_file(source, RandomDraw(zlib.crc32(f"{source}:{seed}".encode())), seed)


def fresh_rows(d: Draft, number: int) -> None:
    """Make the rows new to the warehouse (a loaded row of the same key is a duplicate), so that most files
    insert rows and count them too: their first two free-text or identifier values end with the file's
    number (not the outcome and context of police.uk, which a check reads together)."""
    kinds = ("text", "identifier")
    names = [c.name for c in d.spec.columns if c.kind in kinds and c.name not in _CHECKED][:2]
    for i, name in enumerate(d.header):
        if name in names:
            for row in d.rows:
                if i < len(row) and row[i]:
                    row[i] = f"{row[i]}-{number}"


_CHECKED = ("Last outcome category", "Context")


def _identifiers(d: Draft) -> tuple[str, ...]:
    """The values of the identifier columns vrhub will know by their names. A column it cannot know (its
    name blank, misspelt, or garbled by the wrong --encoding) is an extra column, which the quarantine keeps
    as it is in the raw rows, whatever it holds."""
    names = {normalise(c.name) for c in d.spec.columns if c.kind == "identifier"}
    found = {
        row[i]
        for i, name in enumerate(d.header)
        if normalise(name) in names and name.isascii()
        for row in d.rows
        if i < len(row)
    }
    return tuple(sorted(v for v in found if len(v) >= 6))


def _read_as(d: Draft, data: bytes) -> str | None:
    """The encoding vrhub will read the file in, when that is certain: the --encoding given, else the
    source's own (or its fall-back, when the first 64 KB are not valid in it)."""
    if d.option:
        return {"windows-1252": "cp1252"}.get(d.option, d.option)
    try:
        data[: 1 << 16].decode("utf-8")
    except UnicodeDecodeError as exc:
        if d.spec.fallback_encoding and exc.start < (1 << 16) - 4:
            return d.spec.fallback_encoding
        if exc.start < (1 << 16) - 4:
            return None  # refused
    return "utf-8"


def _quotes_unbalanced(data: bytes, encoding: str) -> bool:
    return data.count(b'"') % 2 == 1 if encoding != "utf-16" else False


def decode(f: FuzzFile) -> str:
    codec = "utf-8-sig" if f.read_as == "utf-8" else f.read_as
    return f.data.decode(codec, errors="replace")


def count_rows(f: FuzzFile) -> int | None:
    """The data rows the file holds, by Python's csv module: every record after the header but blank lines
    and rows of nothing but empty fields, at least as many as the header has (DuckDB drops empty fields
    at the end of a row, so a wider row of them reads as a blank one). None where the file is too broken
    to say."""
    if not f.countable or f.refusal is not None or not f.read_as:
        return None
    csv.field_size_limit(sys.maxsize)
    records = list(csv.reader(io.StringIO(decode(f), newline="")))
    if not records:
        return None
    width = len(records[0])
    return sum(1 for r in records[1:] if r and not _blank(r, width))


def _blank(record: list[str], width: int) -> bool:
    # DuckDB reads a field past the header's width as empty when it holds nothing but NULs (`,,,\0`).
    return (
        len(record) >= width
        and all(v == "" for v in record[:width])
        and all(v.strip("\0") == "" for v in record[width:])
    )


# -- loading one and checking what vrhub did ----------------------------------------------------------------

# Words of DuckDB's own messages, which a refusal must have put into a sentence of its own.
RAW_ENGINE_WORDS = (
    "Error:",
    "state machine",
    "syntax error",
    "Parser",
    "Invalid Input",
    "Conversion Error",
    "Binder",
    "Catalog",
    "DuckDB",
    "sniff",
)


@dataclass
class Outcome:
    file: FuzzFile
    refused: str | None = None  # the refusal's message
    summary: LoadSummary | None = None
    expected_rows: int | None = None


def warehouse_state(hub: Hub) -> dict[str, Any]:
    """The row count of every table, every load record and the quarantine's rows per load (read with
    DuckDB itself: through Ibis it took as long as a small load)."""
    con = duckdb.connect(str(hub.settings.warehouse), read_only=True)
    try:
        names = [n for (n,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        counts = " UNION ALL ".join(f"SELECT '{n}' AS t, count(*) AS n FROM \"{n}\"" for n in names)
        state: dict[str, Any] = {"counts": dict(con.execute(counts).fetchall())}
        state["loads"] = con.execute("SELECT * FROM loads ORDER BY load_id").fetchall()
        state["quarantine"] = con.execute(
            """SELECT load_id, count(*), count(DISTINCT row_number), min(row_number), max(row_number)
            FROM quarantine GROUP BY 1 ORDER BY 1"""
        ).fetchall()
        return state
    finally:
        con.close()


def stored_text(hub: Hub, table: str, load_id: int | None) -> list[str]:
    """Every text value a load stored: its rows and its quarantine (the raw rows and their values)."""
    con = duckdb.connect(str(hub.settings.warehouse), read_only=True)
    try:
        columns = [
            c
            for c, kind in con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {table})").fetchall()
            if kind == "VARCHAR"
        ]
        rows = con.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE load_id = ?", [load_id]
        ).fetchall()
        held = con.execute("SELECT raw_row, value FROM quarantine WHERE load_id = ?", [load_id]).fetchall()
        return [v for row in [*rows, *held] for v in row if isinstance(v, str)]
    finally:
        con.close()


def ingest_fuzzed(hub: Hub, f: FuzzFile, folder: Path) -> Outcome:
    """Load `f` through `hub` and check what happened; an AssertionError says what went wrong, and any
    exception but a `VrhubError` passes through."""
    path = folder / f.name
    path.write_bytes(f.data)
    outcome = Outcome(f, expected_rows=count_rows(f))
    before = warehouse_state(hub)
    try:
        [summary] = list(hub.ingest(f.source, [path], encoding=f.option))
    except VrhubError as exc:
        outcome.refused = exc.message
        assert warehouse_state(hub) == before, f"refused, but the warehouse changed: {exc.message}"
        assert str(path) in exc.message, f"the refusal does not name the file: {exc.message}"
        raw = [w for w in RAW_ENGINE_WORDS if w in exc.message or w in exc.hint]
        assert not raw, f"the refusal passes on the database's own words {raw}: {exc.message}"
        if f.refusal is not None:
            assert f.refusal[0] in exc.message, f"expected {f.refusal[0]!r} ({f.refusal[1]}): {exc.message}"
        return outcome
    finally:
        path.unlink()
    outcome.summary = s = summary
    assert f.refusal is None, f"loaded, but it should have been refused ({f.refusal[1]}): {s}"
    assert s.rows_read == s.rows_loaded + s.rows_quarantined + s.duplicates_skipped, s
    assert min(s.rows_loaded, s.rows_quarantined, s.duplicates_skipped) >= 0, s
    if outcome.expected_rows is not None:
        assert s.rows_read == outcome.expected_rows, f"{outcome.expected_rows} rows in the file: {s}"
    after = warehouse_state(hub)
    if s.already_loaded:
        assert after == before, "the same file again changed the warehouse"
        return outcome
    [record] = [r for r in after["loads"] if r not in before["loads"]]
    assert record[0] == s.load_id, (record, s)
    held = {load: rest for load, *rest in after["quarantine"]}.get(s.load_id, [0, 0, None, None])
    assert held[1] == s.rows_quarantined, f"{held[1]} row numbers quarantined for {s}"
    if held[1]:
        # A row number is a line of the file, past the header (a spreadsheet numbers every line break).
        lines = len(re.findall(rb"\r\n|\r|\n", f.data)) + 1
        assert held[2] >= 2 and held[3] <= lines, f"rows {held[2]}-{held[3]} quarantined of {lines} lines"
    if f.source in SOURCES:
        table = SOURCES[f.source].table
        added = after["counts"][table] - before["counts"][table]
        # A correction replaces the version it supersedes, which moves to the table's history.
        superseded = after["counts"][f"{table}_history"] - before["counts"][f"{table}_history"]
        assert added + superseded == s.rows_loaded, f"{added} rows added to {table} for {s}"
        assert (superseded > 0) == (s.rows_corrected > 0), f"{superseded} versions superseded for {s}"
        stored = stored_text(hub, table, s.load_id)
        leaked = [x for x in f.secrets if any(x in text for text in stored)]
        assert not leaked, f"identifiers stored as they are: {leaked}"
    return outcome

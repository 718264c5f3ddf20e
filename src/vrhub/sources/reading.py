"""Reading a CSV file into a staging table of raw text, with structurally broken rows set aside.

DuckDB reads the file in parallel; rows with too many or too few fields (an unquoted comma, a cut line)
go to its rejects table with their line numbers instead of failing the whole read.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vrhub.errors import InputRefused
from vrhub.sources.spec import SourceSpec

# Encodings DuckDB reads itself (Python's codec name -> DuckDB's). Any other is transcoded to UTF-8 first:
# DuckDB's Latin-1 refuses bytes 0x80-0x9F, where Windows-1252 has its curly quotes, dashes and euro sign.
_NATIVE = {"utf-8": "utf-8", "utf-16": "utf-16"}


def codec_name(path: Path, encoding: str) -> str:
    """The canonical name of a text encoding (`latin-1` -> `iso8859-1`); refuses an unknown one."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise InputRefused(
            f"{path}: encoding {encoding!r} is not supported",
            "Use --encoding utf-8, windows-1252, latin-1 or utf-16, or save the file as UTF-8.",
        )
    return info.name


@contextlib.contextmanager
def readable(path: Path, encoding: str) -> Iterator[tuple[Path, str]]:
    """The file as DuckDB reads it, and the encoding to tell DuckDB: the file itself when UTF-8 or UTF-16,
    else a UTF-8 copy (an owner-only temporary file, removed afterwards), written block by block."""
    codec = codec_name(path, encoding)
    if codec in _NATIVE:
        yield path, _NATIVE[codec]
        return
    handle, name = tempfile.mkstemp(prefix="vrhub-", suffix=".csv")
    try:
        decoder = codecs.getincrementaldecoder(codec)(errors="strict")
        with os.fdopen(handle, "wb") as out, path.open("rb") as source:
            done = 0
            for block in iter(lambda: source.read(1 << 20), b""):
                try:
                    out.write(decoder.decode(block).encode("utf-8"))
                except UnicodeDecodeError as exc:
                    offset = done + exc.start
                    raise InputRefused(
                        f"{path}: refused, nothing loaded: not valid {encoding} text: the byte at offset "
                        f"{offset:,} (0x{block[exc.start]:02X}) cannot be decoded",
                        "Check the file's encoding and name it with --encoding (utf-8, windows-1252, latin-1 "
                        "or utf-16), or save the file as CSV (UTF-8).",
                    ) from exc
                done += len(block)
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
        yield Path(name), "utf-8"
    finally:
        os.unlink(name)


@dataclass
class Header:
    names: list[str]  # as written in the file
    newline: str  # DuckDB's new_line option
    by_key: dict[str, str]  # normalised name -> name in the file
    has_rows: bool = True  # the file has something after the header line
    columns: list[str] = field(default_factory=list)  # the staging table's column for each name (unique)
    refusal: InputRefused | None = None  # why the first line cannot be the header row (`check_columns`)

    def find(self, name: str) -> str | None:
        return self.by_key.get(normalise(name))


def normalise(name: str) -> str:
    return " ".join(name.strip().lower().replace("_", " ").split())


def read_header(path: Path, encoding: str) -> Header:
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
    except OSError as exc:
        raise InputRefused(
            f"{path}: cannot be read ({exc.strerror})", "Check the path and permissions."
        ) from exc
    if not _without_bom(head).strip():
        raise InputRefused(f"{path}: the file is empty", "Export the file again with its header row.")
    codec = codec_name(path, encoding)
    kind = _not_text(head)
    if kind is not None:
        refused = InputRefused(
            f"{path}: refused, nothing loaded: it is {kind}, not CSV text",
            "Open it in the program that made it and save it as CSV (UTF-8) (in Excel: File > Save As > "
            "CSV UTF-8), then load the CSV file.",
        )
        return Header(names=[], newline="\\n", by_key={}, has_rows=False, refusal=refused)
    if head.startswith(codecs.BOM_UTF8) and codec not in _NATIVE:
        # Read as Windows-1252 it would start the first name with "ï»¿", and an optional first column
        # (ed-attendances' attendance_ref) would be left out without a word.
        raise InputRefused(
            f"{path}: refused, nothing loaded: it starts with a UTF-8 byte-order mark, but it is read as "
            f"{encoding}",
            "A file that starts so is UTF-8: load it with --encoding utf-8. If that is refused as not valid "
            "UTF-8, the file mixes two encodings: save it again as UTF-8 from the program that made it.",
        )
    # A UTF-8 byte-order mark is left out before decoding: the positions in a decoding error of
    # "utf-8-sig" count from after it, and cut the chunk three bytes too late.
    skip = len(codecs.BOM_UTF8) if codec == "utf-8" and head.startswith(codecs.BOM_UTF8) else 0
    try:
        text = head[skip:].decode(codec, errors="strict")
    except UnicodeDecodeError as exc:
        # Only the header row must be read here: a row after it that is not valid text is quarantined with
        # its row number, wherever it is in the file, as DuckDB's reader finds it. (The last character of
        # the chunk may also be cut in two.)
        text = head[skip : skip + exc.start].decode(codec)
        if not re.search("\r|\n", text) and skip + exc.start < len(head) - 4:
            offset = skip + exc.start
            raise InputRefused(
                f"{path}: refused, nothing loaded: the header row (row 1) is not valid {encoding} text: "
                f"the byte at offset {offset:,} (0x{head[offset]:02X}) cannot be decoded",
                "It starts with a UTF-16 byte-order mark: use --encoding utf-16."
                if head[:2] in (b"\xff\xfe", b"\xfe\xff")
                else "It's often worth trying: --encoding windows-1252 (files saved by Excel on Windows).",
            ) from exc
    newline = _newline(text)
    # Lines as CSV has them: str.splitlines() also breaks at form feeds, U+0085 and U+2028, which may
    # stand in a name and cut the header there.
    lines = re.split("\r\n|\r|\n", text)
    first = lines[0]
    names = next(csv.reader(io.StringIO(first)), [])
    # Refused by `check_columns`, not here: a refusal from here makes a source with a fall-back encoding
    # (population) try that, and say the file is not valid in it.
    refusal = _header_refusal(path, head, text, first, names)
    if refusal is not None:
        return Header(names=[], newline=newline, by_key={}, has_rows=False, refusal=refusal)
    has_rows = any(line.strip(" ,\t") for line in lines[1:3])
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(normalise(name), name)
    # Duplicate or blank header names would clash, and so would a name the staging uses itself (`__seq`,
    # `__blank`, `__raw_1`...) or DuckDB's `rowid` (a "RowID" column of an export hid it from the
    # numbering): number them so every field is still read.
    columns: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(names):
        unique = name if name and not _reserved(name) else f"column__{i + 1}"
        while unique.lower() in seen:
            unique = f"{unique}__{i + 1}"
        seen.add(unique.lower())
        columns.append(unique)
    return Header(names=names, newline=newline, by_key=by_key, has_rows=has_rows, columns=columns)


def _header_refusal(path: Path, head: bytes, text: str, first: str, names: list[str]) -> InputRefused | None:
    """Why the first line cannot be the header row, if it cannot."""
    if len(head) == 1 << 16 and not any(end in text for end in ("\r", "\n")):
        return InputRefused(
            f"{path}: refused, nothing loaded: the first line is longer than {1 << 16:,} bytes, so it cannot "
            "be the header row (the column names)",
            "Check it is a CSV file with the column names on its first line.",
        )
    if "\0" in first:  # DuckDB's SQL parser ends a quoted name there
        return InputRefused(
            f"{path}: refused, nothing loaded: the header row holds NUL characters (bytes of value 0), "
            "which a CSV text file does not",
            "It looks like UTF-16 text: use --encoding utf-16."
            if head.count(b"\0") * 3 > len(head)
            else "Save the file again as CSV (UTF-8) from the program that made it.",
        )
    if not any(name.strip() for name in names):
        return InputRefused(
            f"{path}: refused, nothing loaded: the first line is blank, but it must be the header row "
            "(the column names)",
            "Remove the lines before the header row and load the file again.",
        )
    return None


# How files that are not text begin (their "magic numbers"), and what to call them.
_MAGIC = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls) or another Office file"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
)


def _not_text(head: bytes) -> str | None:
    return next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)


def _reserved(name: str) -> bool:
    return name.lower() == "rowid" or name.startswith("__")


def _without_bom(head: bytes) -> bytes:
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            return head[len(bom) :]
    return head


def _newline(text: str) -> str:
    """DuckDB's new_line option, from how the header line ends: `\\r\\n` (Windows, Excel), `\\n`, or `\\r`
    (old Mac). A line break inside a quoted value may differ (Excel writes a bare LF there)."""
    ends = [i for i in (text.find("\r"), text.find("\n")) if i >= 0]
    if not ends:
        return "\\n"
    end = min(ends)
    if text[end] == "\n":
        return "\\n"
    return "\\r\\n" if text[end + 1 : end + 2] == "\n" else "\\r"


def check_columns(path: Path, spec: SourceSpec, header: Header) -> list[str]:
    """The required columns the file lacks. Refuses a file whose header spells a column with a character
    that does not show (a zero-width space, a byte-order mark in the middle): it would otherwise be missing
    for no reason a person can see, or (an optional column) be left out of the load without a word; and
    beside a column of that name, it would be taken for another column, and an identifier kept as it is."""
    if header.refusal is not None:
        raise header.refusal
    if len(header.names) > MAX_COLUMNS:
        # Each column of a bad row is kept (hashed) in the quarantine: thousands of columns made DuckDB plan
        # expressions for minutes (a fuzzed file of 1,500 columns ran for over 15 minutes).
        raise InputRefused(
            f"{path}: refused, nothing loaded: the header has {len(header.names):,} columns, more than the "
            f"{MAX_COLUMNS:,} vrhub reads",
            "Export only the columns the source needs (see docs/data-formats.md).",
        )
    hidden = [(name, col.name) for col in spec.columns for name in header.names if _hides(name, col.name)]
    missing = [c.name for c in spec.columns if c.required and header.find(c.name) is None]
    if hidden:
        lines = [
            f"the header {name!r} has {_invisible(name)} where the column {expected!r} is expected"
            for name, expected in hidden
        ]
        unexplained = [m for m in missing if m not in {expected for _, expected in hidden}]
        if unexplained:
            lines.append(f"missing required column(s) {', '.join(map(repr, unexplained))}")
        raise InputRefused(
            f"{path}: refused, nothing loaded: " + "\n  also: ".join(lines),
            "Remove the invisible character(s) from the header row (retype the column name) and load the "
            "file again.",
        )
    if missing:
        _refuse_other_separator(path, spec, header)
    _refuse_repeated(path, spec, header)
    return missing


_SEPARATORS = {";": "semicolon", "\t": "tab", "|": "pipe (|)"}


def _refuse_other_separator(path: Path, spec: SourceSpec, header: Header) -> None:
    """Refuse a file whose header row splits into the source's columns on a semicolon, a tab or a pipe:
    it is CSV of another separator (a spreadsheet's export in a locale whose decimal mark is a comma), and
    every column would otherwise be called missing."""
    line = ",".join(header.names)
    known = {normalise(c.name) for c in spec.columns}
    for mark, word in _SEPARATORS.items():
        names = {normalise(n) for n in line.split(mark)}
        if mark in line and len(names & known) >= 2:
            raise InputRefused(
                f"{path}: refused, nothing loaded: it is {word}-separated (its header row is "
                f"{shown(line[:120])}{'...' if len(line) > 120 else ''}), but vrhub reads comma-separated "
                "CSV",
                "Save it again as CSV with commas between the values (in Excel: File > Save As > "
                "CSV UTF-8 (Comma delimited)), then load it again.",
            )


def _refuse_repeated(path: Path, spec: SourceSpec, header: Header) -> None:
    """Refuse a header that names a column of the source twice (`lsoa_code` twice, or `crime_ref` and
    `CRIME_REF`): which of the two holds the values cannot be told, and loading the first would drop the
    other without a word."""
    known = {normalise(c.name) for c in spec.columns}
    seen: dict[str, str] = {}
    repeated = []
    for name in header.names:
        key = normalise(name)
        if key in known and key in seen:
            repeated.append(f"{seen[key]!r} and {name!r}" if seen[key] != name else repr(name))
        seen.setdefault(key, name)
    if repeated:
        raise InputRefused(
            f"{path}: refused, nothing loaded: the header row repeats the column(s) {', '.join(repeated)}",
            "Keep one column of each name (remove or rename the copy) and load the file again.",
        )


def invisible(ch: str) -> bool:
    """A character that takes no room on screen: format characters (zero-width space and joiners,
    direction marks, the byte-order mark, the soft hyphen) and control characters but the whitespace ones,
    which names are matched without (see `normalise`)."""
    return unicodedata.category(ch) in ("Cf", "Cc") and not ch.isspace()


def _hides(name: str, expected: str) -> bool:
    """Whether `name` is the column `expected` but for invisible characters."""
    visible = "".join(c for c in name if not invisible(c))
    return visible != name and normalise(visible) == normalise(expected)


# Unicode's name for it says nothing to most people; this is how it gets into a header.
_CHARACTER_NAMES = {"\ufeff": "BYTE ORDER MARK"}


def _invisible(name: str) -> str:
    """`an invisible character (U+200B ZERO WIDTH SPACE)`, or the plural for several kinds."""
    kinds = list(dict.fromkeys(c for c in name if invisible(c)))
    named = ", ".join(
        f"U+{ord(c):04X} {_CHARACTER_NAMES.get(c) or unicodedata.name(c, 'CONTROL CHARACTER')}" for c in kinds
    )
    return f"an invisible character ({named})" if len(kinds) == 1 else f"invisible characters ({named})"


def shown(name: str) -> str:
    """A header name as written, or escaped (`'crime_ref\\u200b'`) where it holds a character that does not
    show or is not a plain space, so a person can see what is there."""
    return name if name.isprintable() else repr(name)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# DuckDB's own limit (2 MB) drops a longer row without a word, even as a reject: a row is allowed far more
# (a free-text field pasted whole), and one longer than that is found by the row count check.
MAX_LINE_BYTES = 32 * 1024 * 1024
# The widest file vrhub reads: a HES extract with every diagnosis and procedure column has a few hundred.
MAX_COLUMNS = 1000


def stage_raw(
    con: Any, path: Path, source: Path, header: Header, encoding: str, prefix: str
) -> tuple[str, str]:
    """Create `{prefix}_raw` (`__seq`, `__blank`, then every header column as text) and `{prefix}_rejects`
    from `source` (`path`, or its UTF-8 copy: see `readable`), in DuckDB's `encoding`.

    `__blank` marks a row whose every field is empty (`,,,,`, as spreadsheets leave at the end): it is
    ignored like a blank line. `__seq` numbers the rows read in file order: it is the staged table's rowid
    (DuckDB keeps insertion order), since numbering them with `row_number() OVER ()` while reading made
    the read single-threaded and took 0.8 s instead of 0.5 s at 1M rows.
    """
    names = header.columns
    columns = "{" + ", ".join(f"{_sq(n)}: 'VARCHAR'" for n in names) + "}"
    fields = ", ".join(_q(n) for n in names)
    # Empty fields read as NULL: a row of nothing but commas is NULL throughout (cheap to test on every row).
    blank = f"coalesce({', '.join(_q(n) for n in names)}) IS NULL" if names else "false"
    raw, text, rejects = f"{prefix}_raw", f"{prefix}_text", f"{prefix}_rejects"
    try:
        con.raw_sql(
            f"""CREATE TEMP TABLE {text} AS
            SELECT {blank} AS __blank, {fields}
            FROM read_csv({_sq(str(source))}, columns = {columns}, auto_detect = false, header = true,
                          delim = ',', quote = '"', escape = '"', new_line = '{header.newline}',
                          encoding = '{encoding}', ignore_errors = true, store_rejects = true,
                          rejects_table = '{rejects}', rejects_scan = '{prefix}_scans',
                          null_padding = false, parallel = true, max_line_size = {MAX_LINE_BYTES})"""
        )
    except Exception as exc:  # DuckDB gives up on the file (mixed line endings, binary data...)
        raise unreadable(path, source, header, encoding) from exc
    con.raw_sql(f"CREATE TEMP VIEW {raw} AS SELECT rowid + 1 AS __seq, * FROM {text}")
    return raw, rejects


_ENDINGS = {"\\n": b"\n", "\\r\\n": b"\r\n", "\\r": b"\r"}
_ENDING_NAMES = {
    b"\n": "a line feed alone (LF, as Linux and Macs write)",
    b"\r\n": "a carriage return and line feed (CRLF, as Windows writes)",
    b"\r": "a carriage return alone (CR, as old Macs wrote)",
}
_TOKENS = re.compile(rb'""|"|,|\r\n|\r|\n')
_SCANNED = 1 << 26  # how much of a refused file is searched for the line that broke it


def unreadable(path: Path, source: Path, header: Header, encoding: str) -> InputRefused:
    """The refusal of a file DuckDB's CSV reader gave up on, in words: its messages name the reader's
    state machine and options, not the file's line. A line ending unlike the header's outside a quoted
    value is what makes it give up; where none is found, the file is not CSV text."""
    hint = (
        "Open it in a spreadsheet or text editor and save it again as CSV (comma-separated, one kind of "
        "line ending throughout), then load it again."
    )
    found = _other_line_ending(source, _ENDINGS[header.newline]) if encoding == "utf-8" else None
    if found is not None:
        line, ending = found
        return InputRefused(
            f"{path}: refused, nothing loaded: line {line} ends with {_ENDING_NAMES[ending]}, but the "
            f"header row ends with {_ENDING_NAMES[_ENDINGS[header.newline]]}; a file must use one kind of "
            "line ending throughout",
            hint,
        )
    if encoding != "utf-8":
        return InputRefused(
            f"{path}: refused, nothing loaded: not valid {encoding.upper()} text",
            "Check the file's encoding and name it with --encoding (or save the file as UTF-8).",
        )
    return InputRefused(
        f"{path}: refused, nothing loaded: it cannot be read as comma-separated text (binary data, or a "
        "file of another kind?)",
        hint,
    )


def _other_line_ending(source: Path, own: bytes) -> tuple[int, bytes] | None:
    """(line, ending) of the first line ending outside a quoted value that is not `own`, in the first
    64 MB; lines are counted as a text editor counts them (a quoted value over two lines is two)."""
    with source.open("rb") as handle:
        text = handle.read(_SCANNED)
    # As a CSV reader does: a quote opens a quoted value only at the start of a field (elsewhere it is a
    # stray quote, as in `a 6" blade`), and inside one a doubled quote is a quote.
    quoted, start, end = False, True, 0
    line = 1
    for token in _TOKENS.finditer(text):
        mark = token.group()
        if token.start() > end and not quoted:
            start = False
        end = token.end()
        if quoted:
            if mark == b'"':
                quoted, start = False, False
            elif mark != b'""' and mark != b",":
                line += 1
        elif mark in (b'"', b'""'):
            quoted, start = start and mark == b'"', False
        elif mark == b",":
            start = True
        elif mark != own:
            return line, mark
        else:
            line, start = line + 1, True
    return None


def scan_lines(con: Any, source: Path, header: Header, encoding: str, prefix: str) -> str | None:
    """Scan the file a second time as plain lines into `{prefix}_lines` (`physical` line number, `blank`,
    and its `quotes` and `commas`), for `records_sql`. None when the file cannot be scanned so (UTF-16)."""
    if encoding != "utf-8":
        return None
    lines = f"{prefix}_lines"
    con.raw_sql(
        f"""CREATE OR REPLACE TEMP TABLE {lines} AS
        SELECT row_number() OVER () AS physical, line IS NULL AS blank,
               coalesce(length(line) - length(replace(line, '"', '')), 0) AS quotes,
               coalesce(length(line) - length(replace(line, ',', '')), 0) AS commas
        FROM read_csv({_sq(str(source))}, columns = {{'line': 'VARCHAR'}}, auto_detect = false,
                      header = false, delim = chr(1), quote = '', escape = '', new_line = '{header.newline}',
                      null_padding = false, strict_mode = false)"""
    )
    return lines


def records_sql(lines: str, multiline: bool) -> str:
    """SQL giving, for each record of the scanned file, `record` (numbered as a spreadsheet numbers rows: the
    header is 1, blank lines count, a quoted value over several lines is one row), `blank`, and `fields`:
    its commas plus one, quoted commas included, so at least its number of fields.

    DuckDB drops empty fields at the end of a row, so a row with an unquoted comma and a blank last column
    reads as a whole row with its values shifted right: `fields` shows it. Without values running over
    several lines a record is a line; with them, a record starts where the quotes before it are balanced.
    """
    if not multiline:
        return f"SELECT physical AS record, blank, commas + 1 AS fields FROM {lines}"
    return f"""
        SELECT row_number() OVER (ORDER BY min(physical)) AS record, bool_and(blank) AS blank,
               sum(commas) + 1 AS fields
        FROM (SELECT *, sum(CASE WHEN before % 2 = 0 THEN 1 ELSE 0 END) OVER (ORDER BY physical) AS start
              FROM (SELECT *, coalesce(sum(quotes) OVER (
                        ORDER BY physical ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
                    FROM {lines}))
        GROUP BY start"""


def _sq(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


quote_ident = _q
quote_literal = _sq

"""Refusals in words a person can act on (issue 11, item 9): what is wrong, where (file, line, column),
never the database's own messages; each checked word for word on a small hand-made file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sources.helpers import ingest, rows, snapshot
from vrhub.errors import InputRefused
from vrhub.hub import Hub

HEADER = "incident_ref,incident_date,incident_type,lsoa_code"
ROW = "FIRE-{n},2019-03-02,deliberate_primary,E01006412"
INVISIBLE_HINT = (
    "Remove the invisible character(s) from the header row (retype the column name) and load the file again."
)
ENDINGS_HINT = (
    "Open it in a spreadsheet or text editor and save it again as CSV (comma-separated, one kind of line "
    "ending throughout), then load it again."
)
LF = "a line feed alone (LF, as Linux and Macs write)"
CRLF = "a carriage return and line feed (CRLF, as Windows writes)"
CR = "a carriage return alone (CR, as old Macs wrote)"


def refused(hub: Hub, source: str, path: Path, **options: object) -> InputRefused:
    before = snapshot(hub)
    with pytest.raises(InputRefused) as caught:
        ingest(hub, source, path, **options)
    assert snapshot(hub) == before
    return caught.value


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def fire(path: Path, header: str = HEADER, rows: int = 2, newline: str = "\n") -> Path:
    lines = [header, *(ROW.format(n=n) for n in range(1, rows + 1))]
    return write(path, "".join(line + newline for line in lines).encode("utf-8"))


def test_a_zero_width_space_in_a_column_name_is_named(hub: Hub, tmp_path: Path) -> None:
    path = fire(tmp_path / "fire.csv", "incident_ref,incident_date\u200b,incident_type,lsoa_code")
    error = refused(hub, "fire", path)
    assert error.message == (
        f"{path}: refused, nothing loaded: the header 'incident_date\\u200b' has an invisible character "
        "(U+200B ZERO WIDTH SPACE) where the column 'incident_date' is expected"
    )
    assert error.hint == INVISIBLE_HINT


def test_a_byte_order_mark_inside_the_header_and_a_missing_column_are_both_named(
    hub: Hub, tmp_path: Path
) -> None:
    """A file pasted together from two exports: the second one's byte-order mark is mid-header."""
    path = fire(tmp_path / "fire.csv", "incident_ref,\ufeffincident_date,incident_\u2060type\u200b")
    error = refused(hub, "fire", path)
    assert error.message == (
        f"{path}: refused, nothing loaded: the header '\\ufeffincident_date' has an invisible character "
        "(U+FEFF BYTE ORDER MARK) where the column 'incident_date' is expected\n"
        "  also: the header 'incident_\\u2060type\\u200b' has invisible characters (U+2060 WORD JOINER, "
        "U+200B ZERO WIDTH SPACE) where the column 'incident_type' is expected\n"
        "  also: missing required column(s) 'lsoa_code'"
    )


def test_an_optional_column_spelt_with_an_invisible_character_is_refused_not_left_out(
    hub: Hub, tmp_path: Path
) -> None:
    """Loaded, the file would lose every person reference without a word."""
    path = write(
        tmp_path / "police.csv",
        b"crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,"
        b"lsoa_code,person_role,person_ref\xc2\xad,age,sex\n"
        b"MP/1,2019-03-02,2019-03-01,8N,Y,N,N,E01006412,victim,PERS-1,19,M\n",
    )
    error = refused(hub, "police-records", path)
    assert error.message == (
        f"{path}: refused, nothing loaded: the header 'person_ref\\xad' has an invisible character "
        "(U+00AD SOFT HYPHEN) where the column 'person_ref' is expected"
    )


def test_a_no_break_space_in_a_column_name_is_matched_as_a_space(hub: Hub, tmp_path: Path) -> None:
    """Spaces, the no-break space among them, are never part of a name (docs/data-formats.md)."""
    path = fire(tmp_path / "fire.csv", "incident_ref,incident\u00a0date\u00a0,incident_type,lsoa_code")
    assert ingest(hub, "fire", path).rows_loaded == 2
    assert rows(hub, "SELECT count(incident_date) AS n FROM fire_incidents") == [{"n": 2}]


def test_the_file_lists_a_name_with_a_character_that_does_not_show_escaped(hub: Hub, tmp_path: Path) -> None:
    path = write(
        tmp_path / "fire.csv",
        "incident_ref,incident_type,lsoa_code,notes\u200b\nFIRE-1,deliberate_primary,E01006412,\n".encode(),
    )
    error = refused(hub, "fire", path)
    assert error.message == (
        f"{path}: refused, nothing loaded: missing required column(s) 'incident_date'\n"
        "  the file has: incident_ref, incident_type, lsoa_code, 'notes\\u200b'"
    )


@pytest.mark.parametrize(
    "start", [b"\n", b"\r\n", b" , ,\n", b"\xef\xbb\xbf\n"], ids=["LF", "CRLF", "commas", "BOM+LF"]
)
def test_a_blank_first_line_is_refused_saying_the_header_must_come_first(
    hub: Hub, tmp_path: Path, start: bytes
) -> None:
    path = write(tmp_path / "fire.csv", start + fire(tmp_path / "body.csv").read_bytes())
    error = refused(hub, "fire", path)
    assert error.message == (
        f"{path}: refused, nothing loaded: the first line is blank, but it must be the header row "
        "(the column names)"
    )
    assert error.hint == "Remove the lines before the header row and load the file again."


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n\r\n", b"\xff\xfe"], ids=str)
def test_a_file_of_nothing_but_a_byte_order_mark_is_empty(hub: Hub, tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "fire.csv", data)
    assert refused(hub, "fire", path).message == f"{path}: the file is empty"


@pytest.mark.parametrize(
    ("newline", "other", "own_name", "other_name"),
    [("\r\n", "\n", CRLF, LF), ("\n", "\r\n", LF, CRLF), ("\n", "\r", LF, CR), ("\r", "\n", CR, LF)],
    ids=["CRLF-then-LF", "LF-then-CRLF", "LF-then-CR", "CR-then-LF"],
)
def test_a_line_ending_unlike_the_headers_is_named_with_its_line(
    hub: Hub, tmp_path: Path, newline: str, other: str, own_name: str, other_name: str
) -> None:
    """DuckDB's words for it: "The CSV Parser state machine reached an invalid state", and its options."""
    text = newline.join([HEADER, ROW.format(n=1), ROW.format(n=2)]) + other + ROW.format(n=3) + newline
    path = write(tmp_path / "fire.csv", text.encode())
    error = refused(hub, "fire", path)
    assert error.message == (
        f"{path}: refused, nothing loaded: line 3 ends with {other_name}, but the header row ends with "
        f"{own_name}; a file must use one kind of line ending throughout"
    )
    assert error.hint == ENDINGS_HINT


def test_the_line_counts_lines_inside_a_quoted_value_and_passes_over_their_line_endings(
    hub: Hub, tmp_path: Path
) -> None:
    """Excel writes a bare LF inside a quoted value of a CRLF file: that one is fine, the later one not."""
    path = write(
        tmp_path / "fire.csv",
        (
            f"{HEADER}\r\n"
            'FIRE-1,2019-03-02,"deliberate\nprimary",E01006412\r\n'
            f"{ROW.format(n=2)}\r\n{ROW.format(n=3)}\n{ROW.format(n=4)}\r\n"
        ).encode(),
    )
    assert refused(hub, "fire", path).message == (
        f"{path}: refused, nothing loaded: line 5 ends with {LF}, but the header row ends with {CRLF}; "
        "a file must use one kind of line ending throughout"
    )


def test_utf16_read_as_windows_1252_is_refused_for_its_nul_characters(hub: Hub, tmp_path: Path) -> None:
    """DuckDB's words for it: "Parser Error: unterminated quoted identifier at or near ..."."""
    path = write(tmp_path / "fire.csv", f"{HEADER}\r\n{ROW.format(n=1)}\r\n".encode("utf-16"))
    error = refused(hub, "fire", path, encoding="windows-1252")
    assert error.message == (
        f"{path}: refused, nothing loaded: the header row holds NUL characters (bytes of value 0), which a "
        "CSV text file does not"
    )
    assert error.hint == "It looks like UTF-16 text: use --encoding utf-16."


def test_a_population_file_in_utf16_is_refused_for_its_nul_characters(hub: Hub, tmp_path: Path) -> None:
    """Not valid UTF-8, the population source falls back to Windows-1252, where UTF-16 decodes to text."""
    path = write(tmp_path / "ONS2020.csv", b"Code,Name,All ages\r\n".decode().encode("utf-16"))
    error = refused(hub, "population", path)
    assert error.message.endswith(
        "the header row holds NUL characters (bytes of value 0), which a CSV text file does not"
    )


def test_invalid_utf16_is_refused_in_words(hub: Hub, tmp_path: Path) -> None:
    """DuckDB's words for it: "Invalid Input Error: File is not utf-16 encoded"."""
    # A lone surrogate past the first 64 KB, which vrhub decodes itself to read the header.
    rows = "".join(f"{ROW.format(n=n)}\n" for n in range(1000))
    body = f"{HEADER}\n{rows}".encode("utf-16") + b"\x00\xd8,\x00\n\x00"
    path = write(tmp_path / "fire.csv", body)
    error = refused(hub, "fire", path, encoding="utf-16")
    assert error.message == f"{path}: refused, nothing loaded: not valid UTF-16 text"
    assert error.hint == "Check the file's encoding and name it with --encoding (or save the file as UTF-8)."


def test_a_first_line_longer_than_64_kb_is_not_taken_for_a_header(hub: Hub, tmp_path: Path) -> None:
    """Only the first 64 KB are read for the header: a longer first line would be cut, its last names lost."""
    path = fire(tmp_path / "fire.csv", HEADER + ",notes" * 11_000)
    error = refused(hub, "fire", path)
    assert error.message == (
        f"{path}: refused, nothing loaded: the first line is longer than 65,536 bytes, so it cannot be the "
        "header row (the column names)"
    )
    assert error.hint == "Check it is a CSV file with the column names on its first line."


@pytest.mark.parametrize(
    ("source", "name", "encoding"),
    [("ed-attendances", "ed.csv", "windows-1252"), ("population", "ONS2020.csv", None)],
    ids=["--encoding windows-1252", "population's fall-back"],
)
def test_a_utf8_byte_order_mark_read_as_windows_1252_is_refused(
    hub: Hub, tmp_path: Path, source: str, name: str, encoding: str | None
) -> None:
    """ed-attendances' first column is optional: read as Windows-1252 it was named "ï»¿attendance_ref" and
    left out, the file loaded without it. A population file not valid UTF-8 is read as Windows-1252."""
    header = b"attendance_ref,site_code,assault_datetime,assault_method,location_type,age,sex,admitted"
    row = b"ED-1,RBN01,2019-03-02 00:40,knife,street,19,M,Y"
    if source == "population":
        header, row = b"Code,Name,All ages", b"E06000006,Halton \x96 caf\xe9,1"
    path = write(tmp_path / name, b"\xef\xbb\xbf" + header + b"\n" + row + b"\n")
    error = refused(hub, source, path, encoding=encoding)
    assert error.message == (
        f"{path}: refused, nothing loaded: it starts with a UTF-8 byte-order mark, but it is read as "
        f"{encoding or 'cp1252'}"
    )
    assert error.hint == (
        "A file that starts so is UTF-8: load it with --encoding utf-8. If that is refused as not valid "
        "UTF-8, the file mixes two encodings: save it again as UTF-8 from the program that made it."
    )


def test_a_column_beside_its_twin_with_an_invisible_character_is_refused(hub: Hub, tmp_path: Path) -> None:
    """Which of the two is meant cannot be told; and the twin, taken for an extra column, kept its values
    as they are in the quarantine: crime references in clear."""
    path = write(
        tmp_path / "police.csv",
        "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,"
        "person_role,age,sex,crime_ref\u200b\n"
        "MP/1,2019-03-02,2019-03-41,8N,Y,N,N,E01006412,victim,19,M,MP/1\n".encode(),
    )
    assert refused(hub, "police-records", path).message == (
        f"{path}: refused, nothing loaded: the header 'crime_ref\\u200b' has an invisible character "
        "(U+200B ZERO WIDTH SPACE) where the column 'crime_ref' is expected"
    )


def test_a_population_file_with_a_blank_first_line_is_refused_for_that(hub: Hub, tmp_path: Path) -> None:
    """The refusal came from reading the header, so the population source tried its fall-back encoding
    (Windows-1252) and said the UTF-8 file was not valid in it (U+2060 is E2 81 A0; 81 is not a character
    in Windows-1252)."""
    path = write(tmp_path / "ONS2020.csv", "\nCode,Name,All ages\nE06000006,Halton\u2060,1\n".encode())
    assert refused(hub, "population", path).message == (
        f"{path}: refused, nothing loaded: the first line is blank, but it must be the header row "
        "(the column names)"
    )


def test_a_stray_quote_does_not_hide_the_line_ending_unlike_the_headers(hub: Hub, tmp_path: Path) -> None:
    """A quote inside an unquoted value (`1"9`) opens nothing: taken for an opening one, it hid the bare CR
    after it, and the file was refused as not comma-separated text at all."""
    path = write(
        tmp_path / "fire.csv",
        f'{HEADER}\r\nFIRE-1,2019-03-02,deliberate"primary,E01006412\rFIRE-2,2019-03-02,x,y\r\n'.encode(),
    )
    assert refused(hub, "fire", path).message == (
        f"{path}: refused, nothing loaded: line 2 ends with {CR}, but the header row ends with {CRLF}; "
        "a file must use one kind of line ending throughout"
    )


@pytest.mark.slow
def test_a_header_name_ending_in_a_line_separator_is_matched_not_cut(hub: Hub, tmp_path: Path) -> None:
    """U+2028 (LINE SEPARATOR) is a space at the end of a name, but Python's str.splitlines() broke the
    header there: two names read of four, the file refused for missing 'incident_type' and 'lsoa_code'."""
    path = fire(tmp_path / "fire.csv", "incident_ref,incident_date\u2028,incident_type,lsoa_code")
    assert ingest(hub, "fire", path).rows_loaded == 2

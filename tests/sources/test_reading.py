"""Files as partners' systems and spreadsheets write them: line endings, byte-order marks, blank lines,
values over several lines, encodings, broken quotes. Each row is read, or the file refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sources.helpers import ingest, quarantined, rows, snapshot, write_lines
from vrhub.errors import InputRefused
from vrhub.hub import Hub

HEADER = "incident_ref,incident_date,incident_type,lsoa_code"
GOOD = "FIRE-{n},2019-03-0{n},deliberate_primary,E01006412"
BAD_DATE = "FIRE-{n},2019-03-3{n},deliberate_primary,E01006412"


def fire_file(path: Path, body: list[str], newline: str = "\n", bom: bool = False) -> Path:
    text = newline.join([HEADER, *body]) + newline
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


@pytest.mark.slow
@pytest.mark.parametrize(
    ("newline", "bom"),
    [("\n", False), ("\r\n", False), ("\r\n", True), ("\r", False), ("\n", True)],
    ids=["LF", "CRLF", "CRLF+BOM", "CR", "LF+BOM"],
)
def test_every_line_ending_reads_every_row(hub: Hub, tmp_path: Path, newline: str, bom: bool) -> None:
    path = fire_file(
        tmp_path / "fire.csv", [GOOD.format(n=1), GOOD.format(n=2), BAD_DATE.format(n=3)], newline, bom
    )
    summary = ingest(hub, "fire", path)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined) == (3, 2, 1)
    assert quarantined(hub, "fire.csv") == [
        (4, "incident_date", "not a date (expected YYYY-MM-DD or DD/MM/YYYY)")
    ]
    stored = rows(hub, "SELECT incident_type, lsoa_code FROM fire_incidents")
    assert stored == [{"incident_type": "deliberate_primary", "lsoa_code": "E01006412"}] * 2


@pytest.mark.slow
def test_excel_csv_with_a_line_break_inside_a_cell(hub: Hub, tmp_path: Path) -> None:
    """Excel ends rows with CRLF but writes a bare LF for a line break inside a cell."""
    path = tmp_path / "ed.csv"
    path.write_bytes(
        b"attendance_ref,site_code,assault_datetime,assault_method,location_type,location_description,age,sex,"
        b"admitted\r\n"
        b'ED-1,RBN01,2019-03-02 00:40,knife,street,"The Grapes\nMathew Street",19,M,Y\r\n'
        b"ED-2,RBN01,2019-03-02 00:40,spoon,street,,19,M,Y\r\n"
    )
    summary = ingest(hub, "ed-attendances", path)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined) == (2, 1, 1)
    assert rows(hub, "SELECT location_description FROM ed_attendances") == [
        {"location_description": "The Grapes\nMathew Street"}
    ]
    assert quarantined(hub, "ed.csv")[0][:2] == (3, "assault_method")


@pytest.mark.slow
def test_row_numbers_count_blank_lines_and_rows_over_several_lines_as_a_spreadsheet_does(
    hub: Hub, tmp_path: Path
) -> None:
    path = fire_file(
        tmp_path / "fire.csv",
        [
            GOOD.format(n=1),  # row 2
            "",  # row 3: blank, ignored
            'FIRE-2,2019-03-02,"deliberate\nprimary",E01006412',  # row 4, over two lines: bad type
            "FIRE-3,2019-03-03,deliberate_primary,E01006412,extra",  # row 5: too many fields
            ",,,",  # row 6: every field blank, ignored
            BAD_DATE.format(n=4),  # row 7
            "",
        ],
    )
    summary = ingest(hub, "fire", path)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined) == (4, 1, 3)
    assert [(row, field) for row, field, _ in quarantined(hub, "fire.csv")] == [
        (4, "incident_type"),
        (5, "(whole row)"),
        (7, "incident_date"),
    ]
    assert {(p["field"], p["first_row"]) for p in summary.problems} == {
        ("incident_type", 4),
        ("(whole row)", 5),
        ("incident_date", 7),
    }


@pytest.mark.slow
def test_a_stray_quote_inside_a_value_does_not_upset_row_numbers(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "ed.csv"
    write_lines(
        path,
        [
            "attendance_ref,site_code,assault_datetime,assault_method,location_type,location_description,age,sex,admitted",
            'ED-1,RBN01,2019-03-02 00:40,knife,street,a 6" blade,19,M,Y',
            "ED-2,RBN01,2019-03-02 00:40,knife,street,,200,M,Y",
        ],
    )
    summary = ingest(hub, "ed-attendances", path)
    assert (summary.rows_loaded, summary.rows_quarantined) == (1, 1)
    assert quarantined(hub, "ed.csv")[0][:2] == (3, "age")


def test_a_quote_never_closed_refuses_the_file_naming_the_row(hub: Hub, tmp_path: Path) -> None:
    """The rest of the file would read as one value: rows would vanish unaccounted for."""
    before = snapshot(hub)
    path = fire_file(
        tmp_path / "fire.csv",
        [
            GOOD.format(n=1),
            'FIRE-2,2019-03-02,"deliberate_primary,E01006412',
            GOOD.format(n=3),
            GOOD.format(n=4),
        ],
    )
    with pytest.raises(InputRefused) as refused:
        ingest(hub, "fire", path)
    assert "row 3" in refused.value.message and "never closed" in refused.value.message
    assert str(path) in refused.value.message and 'quote (")' in refused.value.hint
    assert snapshot(hub) == before


@pytest.mark.parametrize(
    "first, later", [("\r\n", "\n"), ("\n", "\r\n")], ids=["CRLF-then-LF", "LF-then-CRLF"]
)
def test_mixed_line_endings_are_refused_not_half_read(
    hub: Hub, tmp_path: Path, first: str, later: str
) -> None:
    before = snapshot(hub)
    path = tmp_path / "fire.csv"
    path.write_bytes(
        (
            HEADER + first + GOOD.format(n=1) + first + GOOD.format(n=2) + later + GOOD.format(n=3) + later
        ).encode()
    )
    with pytest.raises(InputRefused) as refused:
        ingest(hub, "fire", path)
    assert str(path) in refused.value.message and "nothing loaded" in refused.value.message
    assert "line ending" in refused.value.hint
    assert snapshot(hub) == before


@pytest.mark.slow
def test_a_header_only_file_loads_nothing_and_an_empty_file_is_refused(hub: Hub, tmp_path: Path) -> None:
    summary = ingest(hub, "fire", fire_file(tmp_path / "header.csv", []))
    assert (summary.rows_read, summary.rows_loaded) == (0, 0)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputRefused, match="empty"):
        ingest(hub, "fire", empty)


@pytest.mark.slow
def test_columns_match_by_name_in_any_order_and_case_and_extra_columns_are_ignored(
    hub: Hub, tmp_path: Path
) -> None:
    path = write_lines(
        tmp_path / "fire.csv",
        [
            "LSOA Code , Incident_Type,comments,INCIDENT_DATE,Incident Ref",
            "E01006412,deliberate_primary,kept out,2019-03-02,FIRE-1",
        ],
    )
    ingest(hub, "fire", path)
    assert (
        rows(hub, "SELECT incident_date, incident_type, lad_code FROM fire_incidents")[0]["lad_code"]
        == "E08000011"
    )


@pytest.mark.slow
def test_windows_1252_files_load_with_the_encoding_named(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "indicators.csv"
    path.write_bytes(
        "indicator_id,area_code,period,value,unit,note\n"
        "local_neet_16_17,E08000012,2019,5.1,percent,the council’s “best” estimate – €0\n".encode("cp1252")
    )
    # Read as UTF-8, the row is quarantined with its row number and the advice (the file is not refused
    # for a bad byte near its start, as it is not for one further in).
    first = ingest(hub, "indicators", path)
    assert (first.rows_loaded, first.rows_quarantined) == (0, 1)
    [(row, _, reason)] = quarantined(hub, "indicators.csv")
    assert row == 2 and "--encoding windows-1252" in reason
    ingest(hub, "indicators", path, encoding="windows-1252")
    assert rows(hub, "SELECT note FROM indicators") == [{"note": "the council’s “best” estimate – €0"}]


def test_an_unknown_encoding_is_refused(hub: Hub, tmp_path: Path) -> None:
    path = fire_file(tmp_path / "fire.csv", [GOOD.format(n=1)])
    with pytest.raises(InputRefused, match="encoding 'klingon' is not supported"):
        ingest(hub, "fire", path, encoding="klingon")


@pytest.mark.slow
def test_utf16_files_load_with_the_encoding_named_and_are_recognised_without(
    hub: Hub, tmp_path: Path
) -> None:
    path = tmp_path / "fire.csv"
    path.write_bytes(
        "\r\n".join([HEADER, GOOD.format(n=1), BAD_DATE.format(n=2)]).encode("utf-16") + b"\r\x00\n\x00"
    )
    with pytest.raises(InputRefused) as refused:
        ingest(hub, "fire", path)
    assert "--encoding utf-16" in refused.value.hint
    summary = ingest(hub, "fire", path, encoding="utf-16")
    assert (summary.rows_loaded, summary.rows_quarantined) == (1, 1)
    assert quarantined(hub, "fire.csv")[0][:2] == (3, "incident_date")


@pytest.mark.slow
def test_row_numbers_stay_right_with_non_ascii_text_over_several_lines(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "ed.csv"
    write_lines(
        path,
        [
            "attendance_ref,site_code,assault_datetime,assault_method,location_type,location_description,age,sex,admitted",
            'ED-1,RBN01,2019-03-02 00:40,knife,street,"Café ‘Ŵ’ —\nsecond line",19,M,Y',
            "",
            "ED-2,RBN01,2019-03-02 00:40,knife,street,naïve,200,M,Y",
        ],
    )
    ingest(hub, "ed-attendances", path)
    # Row 2 runs over two lines, row 3 is blank: a line count would say 5, a count of rows read 3.
    assert quarantined(hub, "ed.csv")[0][:2] == (4, "age")
    assert rows(hub, "SELECT location_description FROM ed_attendances") == [
        {"location_description": "Café ‘Ŵ’ —\nsecond line"}
    ]


def test_a_file_of_more_columns_than_vrhub_reads_is_refused_with_the_count(hub: Hub, tmp_path: Path) -> None:
    """A fuzzed header of 1,500 columns kept DuckDB planning the quarantine for over 15 minutes."""
    wide = tmp_path / "wide.csv"
    names = ["indicator_id", "area_code", "period", "value", "unit"] + [f"extra{i}" for i in range(996)]
    wide.write_text(",".join(names) + "\n" + ",".join(["x"] * len(names)) + "\n")
    with pytest.raises(InputRefused, match="the header has 1,001 columns, more than the 1,000"):
        list(hub.ingest("indicators", [wide]))


@pytest.mark.slow
def test_a_row_quarantined_as_not_text_loads_when_the_file_is_loaded_again_with_its_encoding(
    hub: Hub, tmp_path: Path
) -> None:
    path = tmp_path / "fire.csv"
    # A row that is not valid UTF-8 (anywhere: here past the first 64 KB) is quarantined, with the advice
    # to load the file again with --encoding.
    good = [f"FIRE-{n},2019-03-01,deliberate_primary,E01006412" for n in range(1600)]
    lines = [HEADER, *good, "FIRE-Zé,2019-03-03,deliberate_primary,E01006412"]
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    first = ingest(hub, "fire", path)
    assert (first.rows_loaded, first.rows_quarantined) == (1600, 1)
    assert "--encoding windows-1252" in quarantined(hub, "fire.csv")[0][2]
    # The advice followed: the same bytes, read anew, bring the row in; those loaded before are duplicates.
    again = ingest(hub, "fire", path, encoding="windows-1252")
    assert not again.already_loaded
    assert (again.rows_read, again.rows_loaded, again.duplicates_skipped) == (1601, 1, 1600)
    late = "SELECT count(*) AS n FROM fire_incidents WHERE incident_date = DATE '2019-03-03'"
    assert rows(hub, late) == [{"n": 1}]
    # Without an encoding named, the same bytes again are the same load.
    assert ingest(hub, "fire", path).already_loaded

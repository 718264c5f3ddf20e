"""Reading a file that is not all valid text: a row anywhere is quarantined with its row number, the file is
refused only when its header row is not text, or it is not a text file at all (a workbook), named so; a
semicolon- or tab-separated file and a repeated column are refused, named so."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.sources.helpers import ingest, quarantined
from vrhub.errors import InputRefused
from vrhub.hub import Hub

HEADER = "incident_ref,incident_date,incident_type,lsoa_code"


def test_a_row_not_valid_utf8_near_the_start_is_quarantined_with_its_row(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "fire_cp1252.csv"
    lines = [HEADER, "F1,2019-03-01,deliberate_primary,E01006412", "F2 café,2019-03-01,deliberate_primary,"]
    path.write_bytes(
        ("\n".join([*lines, "F3,2019-03-02,deliberate_primary,E01006412"]) + "\n").encode("cp1252")
    )
    summary = ingest(hub, "fire", path)
    assert (summary.rows_loaded, summary.rows_quarantined) == (2, 1)
    [(row, _field, reason)] = quarantined(hub, path.name)
    assert row == 3 and "--encoding windows-1252" in reason


def test_a_header_row_not_valid_text_is_refused_naming_it(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "fire_bad_header.csv"
    path.write_bytes(
        (HEADER + ",note\u2019s\nF1,2019-03-01,deliberate_primary,E01006412,x\n").encode("cp1252")
    )
    with pytest.raises(InputRefused) as refused:
        ingest(hub, "fire", path)
    assert "header row (row 1)" in refused.value.message and "0x92" in refused.value.message
    assert "--encoding windows-1252" in refused.value.hint


@pytest.mark.parametrize("encoding", [None, "windows-1252"])
def test_an_excel_workbook_is_named_and_the_advice_is_to_save_it_as_csv(
    hub: Hub, tmp_path: Path, encoding: str | None
) -> None:
    held = io.BytesIO()
    with zipfile.ZipFile(held, "w") as book:
        book.writestr("xl/workbook.xml", "<workbook/>" * 100)
    path = tmp_path / "pr.xlsx"
    path.write_bytes(held.getvalue())
    with pytest.raises(InputRefused) as refused:
        ingest(hub, "fire", path, encoding=encoding)
    assert "Excel workbook" in refused.value.message
    assert "CSV (UTF-8)" in refused.value.hint and "--encoding" not in refused.value.hint


@pytest.mark.parametrize(("mark", "word"), [(";", "semicolon"), ("\t", "tab")])
def test_a_file_of_another_separator_is_named_so(hub: Hub, tmp_path: Path, mark: str, word: str) -> None:
    path = tmp_path / "fire_semi.csv"
    path.write_text(
        HEADER.replace(",", mark)
        + "\n"
        + "F1,2019-03-01,deliberate_primary,E01006412".replace(",", mark)
        + "\n"
    )
    with pytest.raises(InputRefused) as refused:
        ingest(hub, "fire", path)
    assert f"{word}-separated" in refused.value.message and "missing" not in refused.value.message
    assert "Comma delimited" in refused.value.hint


def test_a_repeated_column_is_refused_naming_it(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "fire_dupcol.csv"
    path.write_text(HEADER + ",lsoa_code\nF1,2019-03-01,deliberate_primary,E01006412,E01006413\n")
    with pytest.raises(InputRefused) as refused:
        ingest(hub, "fire", path)
    assert "repeats the column(s) 'lsoa_code'" in refused.value.message
    spelt = tmp_path / "fire_dupcol2.csv"
    spelt.write_text(HEADER + ",LSOA Code\nF1,2019-03-01,deliberate_primary,E01006412,E01006413\n")
    with pytest.raises(InputRefused, match="'lsoa_code' and 'LSOA Code'"):
        ingest(hub, "fire", spelt)

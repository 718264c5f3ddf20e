"""The dashboard's CSV and XLSX downloads go through vrhub.spreadsheet: text that a spreadsheet would run as
a formula is written with a leading ' (in the workbook as text, never a formula); numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

# Figures whose text columns carry what a label could one day hold (a breakdown named by a partner).
FRAME = pd.DataFrame(
    {
        "period": ["2019", "2019", "2019"],
        "area_code": ["E08000011", "E08000012", "E08000013"],
        "breakdown": ['=HYPERLINK("http://evil","x")', "@SUM(1)", "\t=1"],
        "value": [5.0, None, 3.0],
        "change_vs_previous_pct": [-12.5, 4.0, None],
        "note": ["-2+3", "+cmd|' /C calc'!A0", "-12.5"],
    }
)


@pytest.fixture
def risky(web_data, monkeypatch):
    from vrhub.web.dashboard import data, tables

    monkeypatch.setattr(data, "measure_rows", lambda m, exact=True: FRAME.copy())
    monkeypatch.setattr(tables, "published_rows", lambda *a, **k: FRAME.copy())


@pytest.mark.slow
@pytest.mark.parametrize("url", ["/measures/local_sv_offences.csv", "/published.csv"])
def test_the_csv_downloads_quote_formulas_and_keep_numbers(risky, client_as, url) -> None:
    text = client_as("analyst").get(url, secure=True).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["breakdown"] for r in rows] == ['\'=HYPERLINK("http://evil","x")', "'@SUM(1)", "'\t=1"]
    assert [r["note"] for r in rows] == ["'-2+3", "'+cmd|' /C calc'!A0", "-12.5"]
    assert [r["change_vs_previous_pct"] for r in rows] == ["-12.5", "4.0", ""]
    assert [r["value"] for r in rows] == ["5.0", "", "3.0"]


def test_the_xlsx_download_holds_text_not_formulas(risky, client_as) -> None:
    content = client_as("analyst").get("/measures/local_sv_offences.xlsx", secure=True).content
    sheet = load_workbook(io.BytesIO(content))["local_sv_offences"]
    header, *rows = list(sheet.iter_rows())
    assert [c.value for c in header] == list(FRAME.columns)
    assert [r[2].value for r in rows] == ['\'=HYPERLINK("http://evil","x")', "'@SUM(1)", "'\t=1"]
    assert [r[5].value for r in rows] == ["'-2+3", "'+cmd|' /C calc'!A0", "-12.5"]
    assert [r[4].value for r in rows] == [-12.5, 4, None]
    assert all(c.data_type != "f" for r in rows for c in r)

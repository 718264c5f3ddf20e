# ruff: noqa: F401, F811  (the uploads fixtures are imported by name)
"""The quarantine download of an upload: a value a partner's file carried reaches the spreadsheet as words,
never as a formula; a plain number stays a number."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.web.test_uploads import _worker_idle, upload

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the worker thread reads the rows the test writes
    pytest.mark.slow,
]

HEADER = (
    "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,"
    "person_role,person_ref,age,sex\n"
)
ROWS = [
    "MP/19/000301,2019-03-02,2019-03-01,\"+cmd|' /C calc'!A0\",Y,N,N,E01006412,victim,PERS-0301,19,M",
    "MP/19/000302,2019-03-02,2019-03-01,8N,Y,N,N,E01006412,victim,PERS-0302,19,@SUM(1)",
    "MP/19/000303,2019-03-02,2019-03-01,8N,Y,N,N,E01006412,victim,PERS-0303,-2+3,M",
    "MP/19/000304,2019-03-02,2019-03-01,8N,=1+1,N,N,E01006412,victim,PERS-0304,19,M",
    "MP/19/000305,2019-03-02,2019-03-01,8N,Y,N,N,E01006412,\t=1,PERS-0305,19,M",
    "MP/19/000306,2019-03-02,2019-03-01,8N,Y,N,N,E01006412,victim,PERS-0306,-5,M",
    "MP/19/000307,2019-03-02,2019-03-01,8N,Y,N,N,E01006412,victim,PERS-0307,19,＝1+1",  # full-width =
]


def test_the_quarantine_csv_quotes_what_the_file_carried(web_data: Path, client_as, tmp_path: Path) -> None:
    path = tmp_path / "partner.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    partner = client_as("partner", "Merseyside Police")
    made = upload(partner, path)
    assert (made.rows_read, made.rows_quarantined) == (7, 7)
    download = partner.get(f"/uploads/{made.pk}/quarantine.csv", secure=True)
    text = b"".join(download.streaming_content).decode()
    assert text.startswith("row_number,field,reason,value,raw_row\r\n")  # CRLF lines, as before
    table = list(csv.DictReader(io.StringIO(text)))
    assert [(r["row_number"], r["field"], r["value"]) for r in table] == [
        ("2", "offence_code", "'+cmd|' /C calc'!A0"),
        ("3", "sex", "'@SUM(1)"),
        ("4", "age", "'-2+3"),
        ("5", "knife_flag", "'=1+1"),
        ("6", "person_role", "'\t=1"),
        ("7", "age", "-5"),  # a plain number stays one
        ("8", "sex", "'＝1+1"),
    ]

"""`vrhub delivery ...` as a user runs it: on a data folder, in its own process."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.web.delivery.test_outputs import validator

pytestmark = pytest.mark.slow  # each runs the delivery demo or the command line in a subprocess

FIXTURES = Path(__file__).parent / "fixtures"


def _vrhub(*args: str, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "VRHUB_DATA_DIR": str(data)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "vrhub", *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("delivery-cli")
    made = _vrhub("manage", "migrate", "--verbosity", "0", data=data)
    assert made.returncode == 0, made.stderr
    assert _vrhub("manage", "delivery_demo", data=data).returncode == 0
    return data


def test_an_empty_folder_is_told_there_is_nothing_to_export(tmp_path: Path) -> None:
    # The 360Giving package schema requires at least one grant, so an empty package would not be valid.
    out = tmp_path / "grants.json"
    done = _vrhub("delivery", "export-360giving", "--out", str(out), data=tmp_path / "data")
    assert done.returncode == 1
    assert done.stderr == "Error: no awarded grants to export yet\n\nAward an application first.\n"
    assert not out.exists()


def test_the_demo_exports_valid_360giving_json_and_csv(demo_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "grants.json"
    done = _vrhub("delivery", "export-360giving", "--out", str(out), data=demo_folder)
    assert done.returncode == 0, done.stderr
    package = json.loads(out.read_text())
    assert len(package["grants"]) == 4  # the demo awards four applications
    assert [e.message for e in validator(FIXTURES).iter_errors(package)] == []
    assert {g["beneficiaryLocation"][0]["geoCodeType"] for g in package["grants"]} == {"MD"}

    table = tmp_path / "grants.csv"
    assert (
        _vrhub(
            "delivery", "export-360giving", "--format", "csv", "--out", str(table), data=demo_folder
        ).returncode
        == 0
    )
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert len(rows) == 4
    assert {r["Identifier"] for r in rows} == {g["id"] for g in package["grants"]}
    assert sum(float(r["Amount Awarded"]) for r in rows) == pytest.approx(
        sum(g["amountAwarded"] for g in package["grants"])
    )


def test_the_360giving_csv_quotes_a_title_a_partner_typed(demo_folder: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_folder, data)
    with sqlite3.connect(data / "web.sqlite3") as db:
        first = db.execute(
            "SELECT id FROM delivery_application WHERE amount_awarded IS NOT NULL ORDER BY id"
        ).fetchone()[0]
        db.execute(
            "UPDATE delivery_application SET title = ?, summary = ? WHERE id = ?",
            ('=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", first),
        )
    table = tmp_path / "grants.csv"
    done = _vrhub("delivery", "export-360giving", "--format", "csv", "--out", str(table), data=data)
    assert done.returncode == 0, done.stderr
    rows = csv.DictReader(table.open(encoding="utf-8"))
    [row] = [r for r in rows if r["Identifier"] == f"360G-vrhub-{first}"]
    assert row["Title"] == '\'=HYPERLINK("http://evil","x")'
    assert row["Description"] == "'+cmd|' /C calc'!A0"
    assert float(row["Amount Awarded"]) > 0  # a number, unquoted


def test_the_pack_is_written_as_html_and_pdf_for_a_quarter(demo_folder: Path, tmp_path: Path) -> None:
    done = _vrhub("delivery", "pack", "--quarter", "2021-Q4", "--out", str(tmp_path), data=demo_folder)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "steering-group-pack-2021-Q4.pdf"
    assert pdf.exists() and (tmp_path / "steering-group-pack-2021-Q4.html").exists()
    if Path("/usr/bin/pdftotext").exists():
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        for heading in ("Spend against budget", "Open exception reports", "Missing partner updates"):
            assert heading in text


def test_a_bad_quarter_is_refused_like_every_other_bad_value(demo_folder: Path, tmp_path: Path) -> None:
    done = _vrhub("delivery", "pack", "--quarter", "2021-Q5", "--out", str(tmp_path), data=demo_folder)
    assert done.returncode == 2
    assert done.stderr == "Error: '2021-Q5' is not a quarter\n\n--quarter: Write it as 2021-Q4.\n"
    assert list(tmp_path.iterdir()) == []


def test_a_bad_day_to_check_as_of_is_refused_before_the_database_is_touched(tmp_path: Path) -> None:
    done = _vrhub("delivery", "check", "--today", "2022-02-30", data=tmp_path / "data")
    assert done.returncode == 2
    assert (
        done.stderr
        == "Error: '2022-02-30' is not a date\n\n--today: Write it as YYYY-MM-DD, e.g. 2022-01-15.\n"
    )
    assert not (tmp_path / "data").exists()

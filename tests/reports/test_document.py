"""The one step that writes every document (the Strategic Needs Assessment, the steering group pack)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from vrhub.reports.document import Document, write_document

HTML = "<!doctype html><html><head><meta charset='utf-8'><title>t</title></head><body><h1>Knife crime £5</h1>"


def test_the_html_alone_is_written_where_asked(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "pack.html"
    written = write_document(HTML, path, pdf=False)
    assert written == Document(path, None)
    assert path.read_text(encoding="utf-8") == HTML
    assert not path.with_suffix(".pdf").exists()


def test_a_folder_it_makes_is_its_owners_alone(tmp_path: Path) -> None:
    before = os.umask(0o022)  # a permissive umask: the folder is private all the same
    try:
        write_document(HTML, tmp_path / "reports" / "pack.html", pdf=False)
    finally:
        os.umask(before)
    assert stat.S_IMODE((tmp_path / "reports").stat().st_mode) == 0o700


@pytest.mark.slow
def test_the_pdf_is_rendered_beside_the_html_under_its_name(tmp_path: Path) -> None:
    written = write_document(HTML, tmp_path / "report.html")
    assert written.pdf == tmp_path / "report.pdf"
    assert written.pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed; .ci/run installs it")
    text = subprocess.run(["pdftotext", str(written.pdf), "-"], capture_output=True, text=True).stdout
    assert "Knife crime £5" in text

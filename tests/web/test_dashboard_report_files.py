"""The reports page offers the report the command line wrote (`make demo` writes DATA_DIR/reports/), and the
page's own edition where that is newer."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.django_db


def test_the_report_make_demo_wrote_is_offered(tmp_path, settings, client_as) -> None:
    from vrhub.config import settings as vrhub_settings

    settings.DATA_DIR = tmp_path
    reports = vrhub_settings(data_dir=tmp_path).reports_dir  # where `vrhub demo` writes
    reports.mkdir()
    (reports / "vrhub-report-partner.html").write_text("<p>the demo's report</p>")
    (reports / "vrhub-report-partner.pdf").write_bytes(b"%PDF-demo")
    analyst = client_as("analyst")
    page = analyst.get("/reports/", secure=True).content.decode()
    assert 'href="/reports/partner.html"' in page and 'href="/reports/partner.pdf"' in page
    body = b"".join(analyst.get("/reports/partner.html", secure=True).streaming_content)
    assert body == b"<p>the demo's report</p>"

    # The page's own edition, written later, is the one offered; its folder holds no PDF, so none is.
    own = tmp_path / "reports" / "partner"
    own.mkdir()
    (own / "vrhub-report-partner.html").write_text("<p>written from the page</p>")
    old = (reports / "vrhub-report-partner.html").stat().st_mtime
    os.utime(own / "vrhub-report-partner.html", (old + 60, old + 60))
    page = analyst.get("/reports/", secure=True).content.decode()
    assert 'href="/reports/partner.pdf"' not in page
    body = b"".join(analyst.get("/reports/partner.html", secure=True).streaming_content)
    assert body == b"<p>written from the page</p>"

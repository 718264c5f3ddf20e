"""The reports page: the report is written in the background, then downloadable; editions follow the role."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_report_is_written_in_the_background_and_becomes_downloadable(
    web_data, client_as, monkeypatch
) -> None:
    from vrhub.web.accounts.models import AuditEvent
    from vrhub.web.dashboard import report_jobs

    analyst = client_as("analyst")
    page = analyst.get("/reports/", secure=True).content.decode()
    assert "Partner edition" in page and "Not written yet" in page
    assert analyst.get("/reports/partner.html", secure=True).status_code == 404

    # The request only starts a thread: with the thread's body stubbed, the POST returns at once.
    started = []
    monkeypatch.setattr(report_jobs, "_spawn", started.append)
    response = analyst.post("/reports/generate/", {"edition": "partner"}, secure=True)
    assert response.status_code == 302 and started == ["partner"]
    assert analyst.get("/reports/status.json", secure=True).json()["running"] == "partner"
    # A second request while one runs starts nothing.
    analyst.post("/reports/generate/", {"edition": "public"}, secure=True)
    assert started == ["partner"]

    report_jobs.generate("partner")  # the thread's body, run here
    state = analyst.get("/reports/status.json", secure=True).json()
    assert state["running"] is None and state["editions"]["partner"]["state"] == "ready"
    assert (web_data / "reports" / "partner" / "vrhub-report-partner.html").is_file()

    download = analyst.get("/reports/partner.html", secure=True)
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert b"Strategic Needs Assessment" in body and b"OFFICIAL-SENSITIVE" in body
    assert AuditEvent.objects.filter(action="download_report", object_id="partner.html").count() == 1


def test_viewers_get_the_public_edition_only(web_data, client_as, client) -> None:
    from vrhub.web.dashboard import report_jobs

    viewer = client_as("viewer")
    page = viewer.get("/reports/", secure=True).content.decode()
    assert "Public edition" in page and "Partner edition" not in page
    assert viewer.post("/reports/generate/", {"edition": "partner"}, secure=True).status_code == 404
    report_jobs.generate("public")
    public = client.get("/reports/public.html", secure=True)  # the public edition needs no sign-in
    assert public.status_code == 200
    assert b"OFFICIAL: for publication" in b"".join(public.streaming_content)
    assert viewer.get("/reports/partner.html", secure=True).status_code == 404
    assert client.get("/reports/partner.html", secure=True).status_code == 302

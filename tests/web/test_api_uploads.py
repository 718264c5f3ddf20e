"""Partner files through the API: the same roles, checks and report as the upload page, without a person at
the keyboard; a large file with a live token is let through the server's body limit as the page's is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.web.conftest import bearer

POLICE = FIXTURES / "police-records"
pytestmark = [
    pytest.mark.django_db(transaction=True),  # the worker thread reads the rows the test writes
    pytest.mark.usefixtures("no_figures_warmed"),
    pytest.mark.slow,  # a transactional database, flushed after each test, and the upload worker
]


@pytest.fixture(autouse=True)
def _worker_idle() -> Iterator[None]:
    yield
    from vrhub.web.uploads import worker

    assert worker.wait_for_idle(60)


def post(key: str, path: Path | None, **fields: object):
    data: dict[str, object] = dict(fields)
    if path is None:
        return bearer(key).post("/api/uploads", data, secure=True)
    with path.open("rb") as handle:
        return bearer(key).post("/api/uploads?wait=60", {**data, "file": handle}, secure=True)


@pytest.mark.slow
def test_a_file_with_bad_rows_is_reported_row_by_row_as_on_the_page(web_data: Path, token_for) -> None:
    from vrhub.web.accounts.models import AuditEvent
    from vrhub.web.uploads.models import Upload

    _, key = token_for("partner", "Merseyside Police")
    answer = post(key, POLICE / "bad.csv", source="police-records")
    assert answer.status_code == 200, answer.content  # finished within the wait
    body = answer.json()
    # bad.csv: 9 data rows, the first good, then one row of each kind of fault (as the page test says).
    assert (body["status"], body["rows_read"], body["rows_loaded"], body["rows_quarantined"]) == (
        "loaded", 9, 1, 8,
    )  # fmt: skip
    problems = body["problems"]
    assert problems["count"] == 8 and problems["pages"] == 1
    assert [(p["row_number"], p["field"]) for p in problems["items"]][:3] == [
        (3, "committed_date"), (4, "offence_code"), (5, "age"),
    ]  # fmt: skip
    assert problems["items"][0]["value"] == "2019-02-30"
    made = Upload.objects.get(pk=body["id"])
    assert made.organisation.name == "Merseyside Police" and made.original_name == "bad.csv"
    assert AuditEvent.objects.filter(action="upload", object_id=str(made.pk)).exists()
    # Read again later: the same report, and its reading audited as the page's is.
    again = bearer(key).get(f"/api/uploads/{made.pk}", secure=True)
    assert again.status_code == 200 and again.json() == body
    assert AuditEvent.objects.filter(action="view_quarantine", object_id=str(made.pk)).exists()


@pytest.mark.slow
def test_a_file_refused_whole_says_why_and_loads_nothing(web_data: Path, token_for) -> None:
    _, key = token_for("partner", "Merseyside Police")
    body = post(key, POLICE / "missing_columns.csv", source="police-records").json()
    assert body["status"] == "refused" and body["rows_loaded"] is None and body["problems"] is None
    assert "'committed_date'" in body["error"] and "needs the columns" in body["hint"]


def test_form_mistakes_are_422s_in_the_pages_words(web_data: Path, token_for) -> None:
    _, key = token_for("partner", "Merseyside Police")
    missing = post(key, None, source="police-records")
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"parameter": "file", "location": "form", "message": "Select a CSV file to upload"}
    ]
    not_csv = post(key, FIXTURES / "README.md", source="police-records")
    assert not_csv.status_code == 422
    assert not_csv.json()["errors"][0]["message"] == "The selected file must be a CSV file (ending .csv)"


def test_a_source_the_organisation_may_not_send_is_refused_unread_and_audited(
    web_data: Path, token_for
) -> None:
    from vrhub.web.accounts.models import AuditEvent
    from vrhub.web.uploads.models import Upload

    _, key = token_for("partner", "Merseyside Police")
    answer = post(key, FIXTURES / "ed-attendances" / "good.csv", source="ed-attendances")
    assert answer.status_code == 403
    assert "you may not upload" in answer.json()["detail"]
    assert not Upload.objects.exists()
    assert AuditEvent.objects.filter(action="upload_refused").count() == 1


@pytest.mark.parametrize("role", ["viewer", "programme_manager"])
def test_roles_that_do_not_upload_are_refused(web_data: Path, token_for, role: str) -> None:
    _, key = token_for(role)
    assert post(key, POLICE / "good.csv", source="police-records").status_code == 403


@pytest.mark.slow
def test_another_agencys_upload_is_not_found(web_data: Path, token_for) -> None:
    _, police = token_for("partner", "Merseyside Police")
    made = post(police, POLICE / "good.csv", source="police-records").json()
    _, other = token_for("partner", "Test Council")
    assert bearer(other).get(f"/api/uploads/{made['id']}", secure=True).status_code == 404
    assert bearer(police).get(f"/api/uploads/{made['id']}", secure=True).status_code == 200


def test_a_large_body_may_come_only_to_the_api_upload_with_a_live_token(web_data: Path, token_for) -> None:
    from vrhub.web.server_limits import signed_in_upload

    token, key = token_for("partner", "Merseyside Police")
    assert signed_in_upload("/api/uploads", "", f"Bearer {key}")
    assert not signed_in_upload("/api/measures", "", f"Bearer {key}")  # not an upload
    assert not signed_in_upload("/api/uploads", "", "Bearer vrh_not-a-token")
    token.revoke()
    assert not signed_in_upload("/api/uploads", "", f"Bearer {key}")

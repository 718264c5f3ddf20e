"""Uploads as partners and analysts use them: a file goes in through the form, the background worker loads
it, and the page reports what happened; nobody sees another agency's upload by guessing its id."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, TEST_KEY, copy_warehouse

POLICE = FIXTURES / "police-records"
pytestmark = [
    pytest.mark.django_db(transaction=True),  # the worker thread reads the rows the test writes
    pytest.mark.usefixtures("no_figures_warmed"),
]


@pytest.fixture(autouse=True)
def _worker_idle() -> Iterator[None]:
    """No load may outlive its test: the warehouse it writes is removed afterwards."""
    yield
    from vrhub.web.uploads import worker

    assert worker.wait_for_idle(60)


@pytest.fixture
def fresh_data(tmp_path: Path, _initialised_warehouse: Path, settings, monkeypatch) -> Iterator[Path]:
    """Like web_data, but no source loaded yet, so a fixture file loads as new rows."""
    from vrhub.web import figures, warehouse

    folder = copy_warehouse(_initialised_warehouse, tmp_path / "data")
    monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
    settings.DATA_DIR = folder
    settings.VRHUB_WAREHOUSE = str(folder / "warehouse.duckdb")
    settings.MEDIA_ROOT = folder / "uploads"
    warehouse.close()
    figures.clear()
    yield folder
    warehouse.close()
    figures.clear()


def upload(client, path: Path, source: str = "police-records", **extra: object):
    """Post the form, let the worker finish, and return the Upload row."""
    from vrhub.web.uploads import worker
    from vrhub.web.uploads.models import Upload

    with path.open("rb") as handle:
        response = client.post("/uploads/new/", {"source": source, "file": handle, **extra}, secure=True)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert worker.wait_for_idle(60)
    made = Upload.objects.latest("pk")
    assert response["Location"] == f"/uploads/{made.pk}/"
    return made


def cli_ingest(tmp_path: Path, initialised: Path, source: str, path: Path) -> dict:
    """`vrhub ingest --json` of the same file into a warehouse of its own."""
    from typer.testing import CliRunner

    from vrhub.cli import app

    folder = copy_warehouse(initialised, tmp_path / "cli")
    result = CliRunner().invoke(app, ["ingest", source, str(path), "--json", "--data-dir", str(folder)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


@pytest.mark.slow
def test_good_file_loads_with_the_counts_vrhub_ingest_gives(
    fresh_data: Path, client_as: Callable, tmp_path: Path, _initialised_warehouse: Path
) -> None:
    partner = client_as("partner", "Merseyside Police")
    made = upload(partner, POLICE / "good.csv")
    expected = cli_ingest(tmp_path, _initialised_warehouse, "police-records", POLICE / "good.csv")
    assert made.status == "loaded", made.error_message
    got = {
        k: getattr(made, k) for k in ("rows_read", "rows_loaded", "rows_quarantined", "duplicates_skipped")
    }
    assert got == {k: expected[k] for k in got}
    # good.csv: 7 data rows, all valid and distinct.
    assert got == {"rows_read": 7, "rows_loaded": 7, "rows_quarantined": 0, "duplicates_skipped": 0}
    # Stored under the organisation's folder, then deleted once loaded (VRHUB_UPLOAD_RETENTION_DAYS=0).
    assert made.stored_file.startswith(f"{made.organisation_id}/") and made.file_deleted is not None
    assert not made.path.exists()
    assert made.path.parent.parent.parent == fresh_data / "uploads"

    page = partner.get(f"/uploads/{made.pk}/", secure=True).content.decode()
    assert '<dd class="govuk-summary-list__value" id="rows-loaded">7</dd>' in page
    assert "None: no row was quarantined." in page
    assert "<script>" not in page and "data-upload-status-url" not in page  # finished: no polling

    rows = partner.get(f"/uploads/{made.pk}/rows/", secure=True).content.decode()
    assert "Rows 1 to 7 of 7" in rows
    from vrhub.web.warehouse import hub

    with hub().open(read_only=True) as wh:
        keys = wh.to_arrow(wh.table("police_records").select("crime_key")).column(0).to_pylist()
    assert keys[0] in rows  # the pseudonym as stored...
    assert "MP/19/000123" not in rows and "PERS-0001" not in rows  # ...never the reference in clear


@pytest.mark.slow
def test_bad_file_lists_quarantined_rows_with_number_field_and_reason(web_data: Path, client_as) -> None:
    partner = client_as("partner", "Merseyside Police")
    made = upload(partner, POLICE / "bad.csv")
    # bad.csv: 9 data rows, the first good, then one row of each kind of fault.
    assert (made.status, made.rows_read, made.rows_loaded, made.rows_quarantined) == ("loaded", 9, 1, 8)
    page = partner.get(f"/uploads/{made.pk}/", secure=True).content.decode()
    assert "Problems 1 to 8 of 8" in page
    # Row 3 of the file (the header is row 1) has 30 February as committed_date.
    assert (
        '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>\n'
        '      <td class="govuk-table__cell">committed_date</td>'
    ) in page
    assert "<code>2019-02-30</code>" in page and "<code>witness</code>" in page

    download = partner.get(f"/uploads/{made.pk}/quarantine.csv", secure=True)
    assert download["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert [(r["row_number"], r["field"]) for r in table] == [
        ("3", "committed_date"),
        ("4", "offence_code"),
        ("5", "age"),
        ("6", "(whole row)"),
        ("7", "sex"),
        ("8", "recorded_date"),
        ("9", "person_role"),
        ("10", "knife_flag"),
    ]
    assert table[0]["value"] == "2019-02-30"


@pytest.mark.slow
def test_file_missing_a_column_is_refused_whole_with_the_column_named(web_data: Path, client_as) -> None:
    from vrhub.web.warehouse import hub

    loads_before = hub().loads().num_rows
    partner = client_as("partner", "Merseyside Police")
    made = upload(partner, POLICE / "missing_columns.csv")
    assert made.status == "refused"
    assert made.load_id is None and made.rows_loaded is None
    assert hub().loads().num_rows == loads_before  # nothing loaded
    assert "'committed_date'" in made.error_message
    assert str(made.path) not in made.error_message and "missing_columns.csv" in made.error_message
    page = partner.get(f"/uploads/{made.pk}/", secure=True).content.decode()
    assert "The file was refused and nothing was loaded" in page
    assert "&#x27;committed_date&#x27;" in page and "What to fix" in page
    assert "needs the columns" in page  # the hint lists the required columns
    assert partner.get(f"/uploads/{made.pk}/quarantine.csv", secure=True).status_code == 404


@pytest.mark.slow
def test_partner_of_another_agency_cannot_reach_an_upload_by_its_id(web_data: Path, client_as) -> None:
    from vrhub.web.accounts.models import AuditEvent

    owner = client_as("partner", "Merseyside Police")
    made = upload(owner, POLICE / "bad.csv")
    other = client_as("partner", "Wirral Council")
    for suffix in ("", "status.json", "quarantine.csv", "rows/"):
        assert other.get(f"/uploads/{made.pk}/{suffix}", secure=True).status_code == 404, suffix
        assert owner.get(f"/uploads/{made.pk}/{suffix}", secure=True).status_code == 200, suffix
    assert made.original_name not in other.get("/uploads/", secure=True).content.decode()
    denied = AuditEvent.objects.filter(action="access_denied", username="partner-wirral-council")
    assert sorted(denied.values_list("detail__view", flat=True)) == sorted(
        ["detail", "status", "quarantine_csv", "rows"]
    )
    assert set(denied.values_list("object_id", flat=True)) == {str(made.pk)}
    # An analyst sees every agency's uploads.
    assert client_as("analyst").get(f"/uploads/{made.pk}/rows/", secure=True).status_code == 200


@pytest.mark.parametrize("role", ["viewer", "programme_manager"])
def test_viewers_and_programme_managers_cannot_reach_uploads(role: str, client_as) -> None:
    client = client_as(role, "Merseyside Police")
    assert client.get("/uploads/", secure=True).status_code == 403
    assert client.get("/uploads/new/", secure=True).status_code == 403


def test_partner_without_an_organisation_cannot_upload(client_as) -> None:
    assert client_as("partner").get("/uploads/new/", secure=True).status_code == 403


@pytest.mark.slow
def test_the_audit_log_has_the_upload_and_every_view(web_data: Path, client_as) -> None:
    from vrhub.web.accounts.models import AuditEvent

    partner = client_as("partner", "Merseyside Police")
    made = upload(partner, POLICE / "bad.csv")
    partner.get(f"/uploads/{made.pk}/", secure=True)
    b"".join(partner.get(f"/uploads/{made.pk}/quarantine.csv", secure=True).streaming_content)
    partner.get(f"/uploads/{made.pk}/rows/", secure=True)
    events = AuditEvent.objects.filter(username="partner-merseyside-police").exclude(action="login")
    events = events.order_by("at", "id")
    assert [e.action for e in events] == ["upload", "view_quarantine", "download_quarantine", "view_rows"]
    assert {e.object_id for e in events} == {str(made.pk)}
    assert events[0].detail["file_name"] == "bad.csv" and events[0].detail["sha256"] == made.sha256
    assert events[3].detail["rows_shown"] == 1 and events[3].ip_address == "127.0.0.1"


@pytest.mark.slow
def test_figures_change_after_a_good_upload(web_data: Path, client_as, tmp_path: Path) -> None:
    from vrhub.web import figures

    def local_sv_2019() -> float:
        frame = figures.measures_frame()
        row = frame[
            (frame.measure_id == "local_sv_offences")
            & (frame.period == "2019")
            & (frame.area_code == "E23000004")
            & (frame.breakdown == "")
        ]
        return float(row.value.iloc[0])

    # good.csv (already loaded) has 5 local serious violence offences in 2019.
    assert local_sv_2019() == 5
    # The same rows under new crime and person references are 5 new offences.
    text = (POLICE / "good.csv").read_text().replace("MP/19/", "MP/19/9").replace("PERS-", "PERS-9")
    renamed = tmp_path / "more-crimes.csv"
    renamed.write_text(text)
    made = upload(client_as("partner", "Merseyside Police"), renamed)
    assert (made.status, made.rows_loaded) == ("loaded", 7)
    assert local_sv_2019() == 10


@pytest.mark.slow
def test_the_same_file_twice_adds_nothing(fresh_data: Path, client_as) -> None:
    partner = client_as("partner", "Merseyside Police")
    first = upload(partner, POLICE / "good.csv")
    second = upload(partner, POLICE / "good.csv")
    assert second.already_loaded and second.load_id == first.load_id
    assert (second.rows_loaded, second.duplicates_skipped) == (0, 7)
    assert (
        "This exact file was loaded before"
        in partner.get(f"/uploads/{second.pk}/", secure=True).content.decode()
    )


@pytest.mark.slow
def test_form_errors_are_summarised_and_nothing_is_queued(web_data: Path, client_as, settings) -> None:
    from vrhub.web.uploads.models import Upload

    partner = client_as("partner", "Merseyside Police")
    empty = partner.post("/uploads/new/", {}, secure=True)
    assert empty.status_code == 400
    page = empty.content.decode()
    assert "There is a problem" in page
    assert '<a href="#source">Select the kind of data in the file</a>' in page
    assert '<a href="#file">Select a CSV file to upload</a>' in page

    # Reference data is for analysts and admins: a partner is not offered it and cannot post it.
    assert 'value="population"' not in partner.get("/uploads/new/", secure=True).content.decode()
    assert 'value="population"' in client_as("analyst").get("/uploads/new/", secure=True).content.decode()
    with (POLICE / "good.csv").open("rb") as handle:
        refused = partner.post("/uploads/new/", {"source": "population", "file": handle}, secure=True)
    assert refused.status_code == 403 and "Select one of the kinds of data listed" in refused.content.decode()

    settings.VRHUB_MAX_UPLOAD_BYTES = 100  # good.csv is 700-odd bytes
    with (POLICE / "good.csv").open("rb") as handle:
        big = partner.post("/uploads/new/", {"source": "police-records", "file": handle}, secure=True)
    assert (
        big.status_code == 400 and "The selected file must be smaller than 100 bytes" in big.content.decode()
    )
    assert Upload.objects.count() == 0


@pytest.mark.slow
def test_resume_fails_interrupted_loads_and_requeues_queued_ones(web_data: Path, make_user, settings) -> None:
    from vrhub.web.accounts.models import Organisation
    from vrhub.web.uploads import storage, worker
    from vrhub.web.uploads.models import Upload

    user = make_user("partner", "Merseyside Police")
    org = Organisation.objects.get(name="Merseyside Police")

    class File:
        name = "bad.csv"

        def chunks(self):
            yield (POLICE / "bad.csv").read_bytes()

    relative, sha, size = storage.store(File(), org.pk)
    common = dict(
        organisation=org,
        uploaded_by=user,
        source="police-records",
        original_name="bad.csv",
        stored_file=relative,
        sha256=sha,
        size=size,
    )
    killed = Upload.objects.create(status="running", stage="Loading the rows into the warehouse", **common)
    queued = Upload.objects.create(status="queued", **common)
    worker.resume()
    assert worker.wait_for_idle(60)
    killed.refresh_from_db()
    queued.refresh_from_db()
    assert (killed.status, killed.error_message) == ("failed", "interrupted: upload the file again")
    assert (queued.status, queued.rows_loaded, queued.rows_quarantined) == ("loaded", 1, 8)


@pytest.mark.slow
def test_analyst_loads_reference_data_which_has_no_rows_by_load(web_data: Path, client_as) -> None:
    analyst = client_as("analyst")
    made = upload(analyst, FIXTURES / "population" / "ONS2020_sample.csv", source="population")
    assert made.status == "loaded", made.error_message
    assert made.organisation is None and made.stored_file.startswith("none/")
    # The sample holds 3 areas' rows: Halton, Knowsley, Isle of Anglesey.
    assert made.rows_read == 3 and made.rows_quarantined == 0
    rows = analyst.get(f"/uploads/{made.pk}/rows/", secure=True).content.decode()
    assert "Reference data (areas and population) replaces what it restates" in rows


@pytest.mark.slow
def test_a_fault_in_the_load_fails_the_upload_without_showing_the_server_error(
    web_data: Path, client_as, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vrhub.hub import Hub
    from vrhub.web.uploads import worker

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire at /srv/secret/path")
        yield  # a generator, as Hub.ingest is

    monkeypatch.setattr(Hub, "ingest", broken)
    partner = client_as("partner", "Merseyside Police")
    made = upload(partner, POLICE / "good.csv")
    assert (made.status, made.error_message) == ("failed", worker.FAULT)
    page = partner.get(f"/uploads/{made.pk}/", secure=True).content.decode()
    assert "The load failed" in page and "/srv/secret" not in page

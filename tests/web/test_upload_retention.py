"""Raw uploads hold clear identifiers: written readable by the server's user only, and deleted once their
load has finished, at once or after VRHUB_UPLOAD_RETENTION_DAYS; the upload's record and pages stay."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import FIXTURES
from vrhub.web.accounts.models import Organisation

POLICE = FIXTURES / "police-records"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The laxest umask a server could run with: the modes must not depend on it."""
    before = os.umask(0)
    yield
    os.umask(before)


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "data" / "uploads"
    return settings.MEDIA_ROOT


class _File:
    name = "good.csv"

    def chunks(self):
        yield (POLICE / "good.csv").read_bytes()


def _upload(user, org: Organisation, **fields: object):
    from vrhub.web.uploads import storage
    from vrhub.web.uploads.models import Upload

    relative, sha, size = storage.store(_File(), org.pk)
    return Upload.objects.create(
        organisation=org,
        uploaded_by=user,
        source="police-records",
        original_name="good.csv",
        stored_file=relative,
        sha256=sha,
        size=size,
        **fields,
    )


@pytest.mark.django_db
def test_an_upload_is_written_0600_in_0700_folders_whatever_the_umask(
    make_user, media: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vrhub.web.uploads import worker
    from vrhub.web.uploads.models import Upload

    monkeypatch.setattr(worker, "submit", lambda _pk: None)  # stored, not loaded
    client = Client()
    client.force_login(make_user("partner", "Merseyside Police"))
    with (POLICE / "good.csv").open("rb") as handle:
        response = client.post("/uploads/new/", {"source": "police-records", "file": handle}, secure=True)
    assert response.status_code == 302
    made = Upload.objects.get()
    assert mode(made.path) == 0o600
    folders = [made.path.parent, made.path.parent.parent, media]  # the upload's, the organisation's, the root
    assert [oct(mode(folder)) for folder in folders] == ["0o700"] * 3


@pytest.mark.django_db
def test_files_saved_through_djangos_storage_are_private_too(media: Path, open_umask: None) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("elsewhere/notes.txt", ContentFile(b"clear identifiers"))
    assert mode(media / name) == 0o600
    assert mode(media / "elsewhere") == 0o700


@pytest.mark.django_db(transaction=True)  # the worker thread reads the rows the test writes
@pytest.mark.slow
def test_a_loaded_file_is_deleted_and_its_pages_still_work(web_data: Path, make_user) -> None:
    from vrhub.web.uploads import worker
    from vrhub.web.uploads.models import Upload

    client = Client()
    client.force_login(make_user("partner", "Merseyside Police"))
    for name in ("bad.csv", "missing_columns.csv"):  # one loads with quarantined rows, one is refused
        with (POLICE / name).open("rb") as handle:
            response = client.post("/uploads/new/", {"source": "police-records", "file": handle}, secure=True)
        assert response.status_code == 302
    assert worker.wait_for_idle(60)
    loaded, refused = Upload.objects.order_by("pk")
    assert (loaded.status, refused.status) == ("loaded", "refused")
    for made in (loaded, refused):
        assert made.file_deleted is not None and made.file_deleted >= made.finished
        assert not made.path.exists() and not made.path.parent.exists()
    assert loaded.rows_quarantined == 8  # the results stay on the row
    page = client.get(f"/uploads/{loaded.pk}/", secure=True).content.decode()
    assert "Problems 1 to 8 of 8" in page and 'id="file-kept">Deleted ' in page
    for suffix in ("rows/", "quarantine.csv", "status.json"):
        assert client.get(f"/uploads/{loaded.pk}/{suffix}", secure=True).status_code == 200, suffix
    assert "committed_date" in client.get(f"/uploads/{refused.pk}/", secure=True).content.decode()


@pytest.mark.django_db
def test_a_kept_file_is_deleted_once_past_the_retention(make_user, media: Path, settings) -> None:
    from django.utils import timezone

    from vrhub.web.uploads import worker

    settings.VRHUB_UPLOAD_RETENTION_DAYS = 7
    user = make_user("partner", "Merseyside Police")
    org = Organisation.objects.get(name="Merseyside Police")
    finished = timezone.now() - dt.timedelta(days=3)
    made = _upload(user, org, status="loaded", finished=finished)
    assert worker.purge_files() == 0  # three days old: kept
    assert made.path.is_file()
    client = Client()
    client.force_login(user)
    page = client.get(f"/uploads/{made.pk}/", secure=True).content.decode()
    kept_until = timezone.localtime(finished + dt.timedelta(days=7))
    said = f"Kept until {kept_until:%-d %B %Y %H:%M} (7 days after loading), then deleted within the hour"
    assert f'id="file-kept">{said}' in page

    later = finished + dt.timedelta(days=7, minutes=1)
    assert worker.purge_files(now=later) == 1
    made.refresh_from_db()
    assert made.file_deleted == later and not made.path.exists()
    assert worker.purge_files(now=later) == 0  # once


@pytest.mark.django_db(transaction=True)  # resume() closes the connection, as a worker thread must
def test_at_start_finished_files_are_deleted_but_not_one_still_queued(
    make_user, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import timezone

    from vrhub.web.uploads import worker

    monkeypatch.setattr(worker, "submit", lambda _pk: None)
    monkeypatch.setattr(worker, "_start", lambda: None)
    user = make_user("partner", "Merseyside Police")
    org = Organisation.objects.get(name="Merseyside Police")
    done = _upload(user, org, status="refused", finished=timezone.now())
    waiting = _upload(user, org, status="queued")
    worker.resume()
    done.refresh_from_db()
    waiting.refresh_from_db()
    assert done.file_deleted is not None and not done.path.exists()
    assert waiting.file_deleted is None and waiting.path.is_file()

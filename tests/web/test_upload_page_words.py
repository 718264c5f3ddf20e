"""The upload pages say what is true for the person reading them (QA stop 16, item 13): the population year
only to those who may upload population files, a link to the data formats (a served page built from the
loader's own column specifications), and the file's real retention (VRHUB_UPLOAD_RETENTION_DAYS)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.web.test_upload_retention import _upload, media  # noqa: F401 - the media fixture
from vrhub.web.accounts.models import Organisation

pytestmark = pytest.mark.django_db


def _page(make_user, role: str, organisation: str | None = "Merseyside Police") -> str:
    client = Client()
    client.force_login(make_user(role, organisation))
    return client.get("/uploads/new/", secure=True).content.decode()


def test_the_population_year_is_asked_only_of_those_who_may_upload_population(make_user) -> None:
    partner = _page(make_user, "partner")
    assert 'value="police-records"' in partner and 'value="population"' not in partner
    assert 'id="year"' not in partner and "Year of the estimates" not in partner
    analyst = _page(make_user, "analyst")
    assert 'value="population"' in analyst and 'id="year"' in analyst


def test_the_data_formats_are_a_link_to_a_served_page(make_user) -> None:
    page = _page(make_user, "partner")
    assert "docs/data-formats.md" not in page
    assert 'href="/uploads/formats/"' in page
    client = Client()
    client.force_login(make_user("partner", "Merseyside Police", username="p2"))
    formats = client.get("/uploads/formats/", secure=True).content.decode()
    # police-records' columns, as its spec requires them: crime_ref is required, and ones it may be given.
    assert 'id="police-records"' in formats and "<code>crime_ref</code>" in formats
    assert "YYYY-MM-DD" in formats  # a date column's expected form, from the loader's own reasons
    viewer = Client()
    viewer.force_login(make_user("viewer"))
    assert viewer.get("/uploads/formats/", secure=True).status_code == 403


@pytest.mark.parametrize(
    ("days", "said"),
    [
        (0, "deleted from the server as soon as it is loaded"),
        (7, "kept on the server for 7 days after it is loaded"),
    ],
)
def test_the_upload_page_states_the_retention_setting(make_user, settings, days, said) -> None:
    settings.VRHUB_UPLOAD_RETENTION_DAYS = days
    assert said in _page(make_user, "partner")


def test_a_finished_upload_at_no_retention_is_not_said_to_be_kept(make_user, media, settings) -> None:  # noqa: F811
    from django.utils import timezone

    settings.VRHUB_UPLOAD_RETENTION_DAYS = 0
    user = make_user("partner", "Merseyside Police")
    org = Organisation.objects.get(name="Merseyside Police")
    made = _upload(user, org, status="loaded", finished=timezone.now() - dt.timedelta(seconds=5))
    client = Client()
    client.force_login(user)
    page = client.get(f"/uploads/{made.pk}/", secure=True).content.decode()
    assert 'id="file-kept">Kept until' not in page
    assert "this hub keeps no uploaded file once it is loaded" in page

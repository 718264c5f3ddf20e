"""Who may load what: each organisation uploads only the sources an administrator allows it; anything else
is refused before the file is stored or read, in the form and again by the worker where the load happens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import FIXTURES
from vrhub.web.accounts.models import AuditEvent, Organisation

pytestmark = pytest.mark.django_db
POLICE = FIXTURES / "police-records"


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def offered(client: Client) -> list[str]:
    page = client.get("/uploads/new/", secure=True)
    assert page.status_code == 200
    return re.findall(r'name="source" type="radio" value="([^"]+)"', page.content.decode())


def signed_in(make_user, role: str, organisation: str | None = None, kind: str = "police") -> Client:
    if organisation:
        Organisation.objects.get_or_create(name=organisation, defaults={"kind": kind})
    client = Client()
    client.force_login(make_user(role, organisation))
    return client


def test_a_new_organisation_starts_with_its_kinds_sources_and_an_admins_setting_rules(db) -> None:
    health = Organisation.objects.create(name="Merseyside ED", kind="health")
    assert health.allowed_sources == ["ed-attendances", "hospital-admissions"]
    assert Organisation.objects.create(name="Probation", kind="probation").allowed_sources == []
    # An explicit setting is kept as given, an empty one included.
    assert Organisation.objects.create(name="Fire", kind="fire", allowed_sources=[]).allowed_sources == []


@pytest.mark.slow
def test_a_health_partner_is_offered_only_health_sources(make_user) -> None:
    health = signed_in(make_user, "partner", "Merseyside ED", kind="health")
    assert offered(health) == ["ed-attendances", "hospital-admissions"]
    police = signed_in(make_user, "partner", "Merseyside Police", kind="police")
    assert offered(police) == ["police-records", "police-uk"]


def test_police_records_posted_by_a_health_partner_are_refused_unstored_and_audited(
    make_user, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vrhub.web.uploads import storage, worker
    from vrhub.web.uploads.models import Upload

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the refused file was stored or queued")

    monkeypatch.setattr(storage, "store", never)
    monkeypatch.setattr(worker, "submit", never)
    health = signed_in(make_user, "partner", "Merseyside ED", kind="health")
    with (POLICE / "good.csv").open("rb") as handle:
        refused = health.post("/uploads/new/", {"source": "police-records", "file": handle}, secure=True)
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "you may not upload Police recorded crime extract" in page
    assert 'value="police-records"' not in page  # the form shown again offers only what is allowed
    assert Upload.objects.count() == 0
    assert not media.exists() or not any(media.rglob("*"))
    event = AuditEvent.objects.get(action="upload_refused")
    assert event.username == "partner-merseyside-ed" and event.ip_address == "127.0.0.1"
    assert event.detail == {
        "source": "police-records",
        "file_name": "good.csv",
        "reason": "source not allowed",
    }


@pytest.mark.slow
def test_an_admin_changes_an_organisations_sources_in_the_admin_and_it_is_audited(make_user) -> None:
    admin = signed_in(make_user, "admin")
    health_partner = signed_in(make_user, "partner", "Merseyside ED", kind="health")
    org = Organisation.objects.get(name="Merseyside ED")
    form = admin.get(f"/admin/accounts/organisation/{org.pk}/change/", secure=True).content.decode()
    assert 'type="checkbox" name="allowed_sources" value="ed-attendances"' in form
    assert re.search(r'value="ed-attendances"[^>]*checked', form)
    assert not re.search(r'value="police-records"[^>]*checked', form)
    response = admin.post(
        f"/admin/accounts/organisation/{org.pk}/change/",
        {"name": org.name, "kind": "health", "allowed_sources": ["hospital-admissions", "ambulance"]},
        secure=True,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    org.refresh_from_db()
    assert org.allowed_sources == ["hospital-admissions", "ambulance"]  # in vrhub.sources' order
    assert offered(health_partner) == ["hospital-admissions", "ambulance"]
    event = AuditEvent.objects.get(action="organisation_sources_change")
    assert event.username == "admin-none" and event.object_id == str(org.pk)
    assert event.detail == {
        "old_sources": ["ed-attendances", "hospital-admissions"],
        "new_sources": ["hospital-admissions", "ambulance"],
    }
    # Nothing ticked is nothing allowed: the partner is told so, and a post is refused.
    admin.post(
        f"/admin/accounts/organisation/{org.pk}/change/", {"name": org.name, "kind": "health"}, secure=True
    )
    assert Organisation.objects.get(pk=org.pk).allowed_sources == []
    page = health_partner.get("/uploads/new/", secure=True).content.decode()
    assert "may not upload any kind of data yet" in page and 'name="source"' not in page


def test_an_organisation_added_in_the_admin_gets_its_kinds_defaults_to_review(make_user) -> None:
    admin = signed_in(make_user, "admin")
    added = admin.post(
        "/admin/accounts/organisation/add/", {"name": "Cheshire Fire", "kind": "fire"}, secure=True
    )
    org = Organisation.objects.get(name="Cheshire Fire")
    assert added.status_code == 302 and added["Location"] == f"/admin/accounts/organisation/{org.pk}/change/"
    assert org.allowed_sources == ["fire"]


@pytest.mark.slow
def test_analysts_load_their_organisations_sources_and_reference_data(make_user) -> None:
    vrp = signed_in(make_user, "analyst", "Merseyside VRP", kind="vrp")
    assert offered(vrp) == ["police-uk", "indicators", "areas", "population"]
    # No organisation: reference data only, since record-level rows would belong to no agency.
    assert offered(signed_in(make_user, "admin")) == ["areas", "population"]
    with (POLICE / "good.csv").open("rb") as handle:
        refused = vrp.post("/uploads/new/", {"source": "police-records", "file": handle}, secure=True)
    assert refused.status_code == 403


def test_the_migration_seeds_existing_organisations_by_kind(db) -> None:
    from importlib import import_module

    from django.apps import apps

    seed = import_module("vrhub.web.accounts.migrations.0002_organisation_allowed_sources").seed
    for name, kind in [("P", "police"), ("H", "health"), ("V", "vrp"), ("C", "vcs")]:
        Organisation.objects.create(name=name, kind=kind)
    Organisation.objects.update(allowed_sources=None)  # as the rows were before the field existed
    seed(apps, None)
    assert dict(Organisation.objects.values_list("name", "allowed_sources")) == {
        "P": ["police-records", "police-uk"],
        "H": ["ed-attendances", "hospital-admissions"],
        "V": ["police-uk", "indicators"],
        "C": [],
    }


def _queued(user, org: Organisation, media: Path):
    from vrhub.web.uploads import storage
    from vrhub.web.uploads.models import Upload

    class File:
        name = "good.csv"

        def chunks(self):
            yield (POLICE / "good.csv").read_bytes()

    relative, sha, size = storage.store(File(), org.pk)
    return Upload.objects.create(
        organisation=org,
        uploaded_by=user,
        source="police-records",
        original_name="good.csv",
        stored_file=relative,
        sha256=sha,
        size=size,
    )


@pytest.mark.parametrize("change", ["source taken away", "moved organisation", "account closed"])
def test_the_worker_refuses_a_queued_upload_no_longer_allowed_without_reading_it(
    change: str, make_user, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vrhub.hub import Hub
    from vrhub.web.uploads import worker

    def never(*_args: object, **_kwargs: object):
        raise AssertionError("the file was read")
        yield

    monkeypatch.setattr(Hub, "ingest", never)
    user = make_user("partner", "Merseyside Police")
    org = Organisation.objects.get(name="Merseyside Police")
    made = _queued(user, org, media)
    if change == "source taken away":
        org.allowed_sources = ["police-uk"]
        org.save()
    elif change == "moved organisation":
        user.profile.organisation = Organisation.objects.create(name="Cheshire Police", kind="police")
        user.profile.save()
    else:
        user.is_active = False
        user.save()
    worker.process(made.pk)
    made.refresh_from_db()
    assert (made.status, made.error_message, made.load_id) == ("refused", worker.NOT_ALLOWED, None)
    assert made.finished is not None
    event = AuditEvent.objects.get(action="upload_refused")
    assert event.object_id == str(made.pk) and event.username == user.username
    assert event.detail == {"source": "police-records", "reason": "source not allowed at load time"}


@pytest.mark.slow
def test_the_worker_loads_a_queued_upload_still_allowed(
    make_user, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side of the check above: the same upload, nothing changed, reaches the loader."""
    from vrhub.hub import Hub
    from vrhub.web.uploads import worker

    class Reached(Exception):
        """Raised by the stand-in loader: the upload got as far as loading."""

    def reached(*_args: object, **_kwargs: object):
        raise Reached
        yield

    monkeypatch.setattr(Hub, "ingest", reached)
    user = make_user("partner", "Merseyside Police")
    made = _queued(user, Organisation.objects.get(name="Merseyside Police"), media)
    worker.process(made.pk)
    made.refresh_from_db()
    assert made.status == "failed" and made.error_message == worker.FAULT  # the loader was called

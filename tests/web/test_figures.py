"""Figures for pages are computed once per warehouse state, and every page's figures can be warmed."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES

pytestmark = pytest.mark.slow


@pytest.mark.django_db
def test_warm_computes_every_breakdown_without_error_and_skips_sources_without_the_column(web_data) -> None:
    from vrhub.web import figures

    figures.warm()
    by_age = figures.measures_frame(by="age_band")
    sources = {figures.catalogue().get(m).source for m in by_age["measure_id"].unique()}
    assert "police_records" in sources
    assert "fire_incidents" not in sources  # fire records carry no age
    assert by_age["breakdown"].str.startswith("age_band=").any()


@pytest.mark.django_db
def test_a_page_view_reuses_the_figures_until_a_load_changes_the_warehouse(web_data, monkeypatch) -> None:
    from vrhub.web import figures
    from vrhub.web.warehouse import hub

    calls = []
    real = type(hub()).measures
    monkeypatch.setattr(type(hub()), "measures", lambda self, req, *a: calls.append(1) or real(self, req, *a))
    first = figures.measures_frame(measure="local_sv_offences")
    figures.measures_frame(measure="local_sv_offences")
    assert len(calls) == 1  # the second read came from memory
    list(hub().ingest("fire", [FIXTURES / "fire" / "good.csv"]))  # a write through the shared warehouse
    again = figures.measures_frame(measure="local_sv_offences")
    assert len(calls) == 2
    assert again.equals(first)  # fire data does not change this measure; it was recomputed all the same


@pytest.fixture
def empty_web_data(tmp_path, _initialised_warehouse, settings, monkeypatch):
    """A warehouse as `vrhub init` leaves it: reference data, no records."""
    from tests.conftest import TEST_KEY, copy_warehouse
    from vrhub.web import figures, warehouse

    folder = copy_warehouse(_initialised_warehouse, tmp_path / "data")
    monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
    settings.DATA_DIR = folder
    settings.VRHUB_WAREHOUSE = str(folder / "warehouse.duckdb")
    warehouse.close()
    figures.clear()
    yield folder
    warehouse.close()
    figures.clear()


@pytest.mark.django_db
def test_pages_and_api_answer_before_anything_is_loaded(empty_web_data, client_as, client) -> None:
    viewer = client_as("viewer")
    for path in ("/dashboard/", "/measures/local_sv_offences/", "/api/measures"):
        assert viewer.get(path, secure=True).status_code == 200, path
    for path in ("/", "/published.csv", "/api/public/measures?measure=ho_knife_admissions"):
        assert client.get(path, secure=True).status_code == 200, path


@pytest.mark.django_db
def test_a_borough_with_nothing_loaded_has_a_page_that_says_so(empty_web_data, client_as) -> None:
    viewer = client_as("viewer")
    page = viewer.get("/boroughs/E08000012/", secure=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h1 class="govuk-heading-xl">Liverpool</h1>' in html
    assert "No records for Liverpool are loaded yet" in html
    assert 'href="/boroughs/E08000011/"' in html  # Knowsley: the other boroughs of the lookup
    assert viewer.get("/boroughs/E09999999/", secure=True).status_code == 404

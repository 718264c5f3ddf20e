"""The open API: hand-checked figures, disclosure control on the public endpoints, token authentication,
role checks, validation messages, and the documentation page under our CSP."""

from __future__ import annotations

import hashlib
import io
import re

import pandas as pd
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from tests.web.conftest import bearer
from vrhub.config import FORCE_CODE

KNOWSLEY, ST_HELENS = "E08000011", "E08000013"


def get(client: Client, url: str, **params):
    return client.get(url, params, secure=True)


# -- figures -----------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.slow
def test_measure_rows_are_the_engines_with_hand_checked_values(web_data, token_for) -> None:
    from vrhub.measures import MeasureRequest
    from vrhub.web.warehouse import hub

    _, key = token_for("analyst")
    response = get(bearer(key), "/api/measures", measure="ed_assault_attendances", period="month", by="sex")
    assert response.status_code == 200
    body = response.json()
    rows = {(r["area_code"], r["breakdown"], r["period"]): r for r in body["items"]}
    # tests/fixtures/ed-attendances/good.csv: five assaults, all in March 2019. ED-0001 and ED-0005 were at
    # E01006412 (Knowsley); ED-0002 has no incident LSOA and a home LSOA in St Helens; the others are out of
    # the area or unplaced. Sexes: M (ED-0001, ED-0005), F (ED-0002), U (ED-0003) and one blank (U).
    assert rows[(FORCE_CODE, "", "2019-03")]["value"] == 5
    assert rows[(KNOWSLEY, "", "2019-03")]["value"] == 2
    assert rows[(ST_HELENS, "", "2019-03")]["value"] == 1
    assert rows[(FORCE_CODE, "sex=M", "2019-03")]["value"] == 2
    assert rows[(FORCE_CODE, "sex=F", "2019-03")]["value"] == 1
    assert rows[(FORCE_CODE, "sex=U", "2019-03")]["value"] == 2
    # Row for row what the library computes (NaN there is null here).
    expected = (
        hub()
        .measures(MeasureRequest(measures=["ed_assault_attendances"], period="month", by="sex"))
        .table.to_pandas()
    )
    assert body["count"] == len(expected)
    got = [{column: r[column] for column in expected.columns} for r in body["items"]]
    assert got == expected.astype(object).where(expected.notna(), None).to_dict("records")


@pytest.mark.slow
@pytest.mark.django_db
def test_area_filter_limit_and_offset(web_data, token_for) -> None:
    _, key = token_for("analyst")
    client = bearer(key)
    knowsley = get(client, "/api/measures", measure="ed_assault_attendances", area=KNOWSLEY).json()
    # Calendar years by default; the fixture's ED data are all in 2019.
    assert [(r["area_code"], r["period"], r["value"]) for r in knowsley["items"]] == [(KNOWSLEY, "2019", 2)]
    every = get(client, "/api/measures", measure="ed_assault_attendances").json()
    assert every["count"] == 6  # the force and five boroughs
    second = get(client, "/api/measures", measure="ed_assault_attendances", limit=2, offset=2).json()
    assert second["count"] == 6 and second["items"] == every["items"][2:4]


@pytest.mark.slow
@pytest.mark.django_db
def test_measures_are_served_from_the_cache_not_recomputed_per_request(
    web_data, token_for, monkeypatch
) -> None:
    from vrhub.hub import Hub

    _, key = token_for("analyst")
    client = bearer(key)
    assert get(client, "/api/measures", measure="ed_assault_attendances").status_code == 200
    calls = []
    original = Hub.measures
    monkeypatch.setattr(Hub, "measures", lambda self, *a, **k: calls.append(a) or original(self, *a, **k))
    for _ in range(3):
        assert get(client, "/api/measures", measure="ed_assault_attendances").status_code == 200
    assert calls == []


@pytest.mark.django_db
def test_catalogue_entry_areas_and_definitions(web_data, token_for) -> None:
    from vrhub.definitions import get_definition
    from vrhub.measures import load_catalogue as figures_catalogue

    _, key = token_for("analyst")
    client = bearer(key)
    entry = get(client, "/api/measures/local_sv_offences").json()
    groups = get_definition("merseyside_offence_groups")
    local = get_definition("merseyside_local")
    assert entry == {
        "id": "local_sv_offences",
        "title": figures_catalogue().get("local_sv_offences").title,
        "source": "police_records",
        "count": "offences",
        "unit": "offences",
        "population": "all_ages",
        "polarity": "lower_is_better",
        "baseline": 2019,
        "definition": "merseyside_offence_groups",
        "definition_version": groups.label,
        "strategy": "table2",
        "value": "count",
        "split_by": None,
        "note": figures_catalogue().get("local_sv_offences").note,
    }
    assert "offence groups" in entry["note"] and "violence against the person" in entry["title"]
    catalogue = get(client, "/api/catalogue").json()
    assert "local_sv_offences" in {m["id"] for m in catalogue}

    areas = get(client, "/api/areas").json()
    assert areas[0] == {"code": FORCE_CODE, "name": "Merseyside", "kind": "force"}
    assert [a["code"] for a in areas[1:]] == ["E08000011", "E08000012", "E08000013", "E08000014", "E08000015"]
    assert {a["name"] for a in areas[1:]} >= {"Knowsley", "Liverpool", "Sefton", "Wirral"}

    names = [d["name"] for d in get(client, "/api/definitions").json()]
    assert names == [
        "home_office",
        "home_office_gun",
        "home_office_hotspot",
        "home_office_knife",
        "merseyside_local",
        "merseyside_offence_groups",
        "police_uk_proxy",
    ]
    one = get(client, "/api/definitions/merseyside_local").json()
    assert one["version"] == local.label and one["stated_version"] == "2022.2"
    assert one["exclude_flags"] == ["domestic"] and "10D" not in one["codes"]
    groups = get(client, "/api/definitions/merseyside_offence_groups").json()
    assert groups["rules"][0]["offence_groups"] == ["violence-against-the-person"]
    assert "105A" in groups["codes"]
    assert one["text"] == local.text
    # The first rule of merseyside_local.yaml: knife or firearm flag, attempted murder (2) among its codes.
    assert one["rules"][0]["any_flag"] == ["knife", "firearm"]
    assert {"code": "2", "label": "Attempted murder"} in one["rules"][0]["offence_codes"]
    assert "2" in one["codes"] and "5D" in one["codes"]


@pytest.mark.django_db
@pytest.mark.slow
def test_quality_findings_with_filters(web_data, token_for) -> None:
    from vrhub.web.warehouse import hub

    _, key = token_for("analyst")
    client = bearer(key)
    findings = get(client, "/api/quality").json()
    assert len(findings) == len(hub().quality().findings)
    # The police fixture has crimes in March to May, July and August 2019: June is missing.
    police = get(client, "/api/quality", source="police-records").json()
    assert {f["source"] for f in police} == {"police-records"}
    assert any(f["check"] == "missing_month" and f["month"] == "2019-06" for f in police)
    errors = get(client, "/api/quality", severity="error").json()
    assert errors and {f["severity"] for f in errors} == {"error"}
    assert get(client, "/api/quality", source="nonsense").status_code == 404


@pytest.mark.django_db
@pytest.mark.slow
def test_breakdown_of_every_measure_leaves_out_sources_without_ages(web_data, token_for) -> None:
    _, key = token_for("analyst")
    for url in ("/api/measures", "/api/public/measures"):
        body = get(bearer(key), url, by="age_band", limit=10000).json()
        measures = {r["measure_id"] for r in body["items"]}
        broken_down = {r["measure_id"] for r in body["items"] if r["breakdown"].startswith("age_band=")}
        # Police and ED record ages; fire call-outs do not, so they are left out rather than refused.
        assert {"local_sv_offences", "ed_assault_attendances"} <= broken_down, url
        assert "fire_callouts" not in measures, url


# -- validation ---------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status", "named"),
    [
        ({"period": "weekly"}, 422, "period"),
        ({"by": "height"}, 422, "by"),
        ({"limit": "0"}, 422, "limit"),
        ({"offset": "-1"}, 422, "offset"),
        # A query value is the caller's to change (422); 404 is for a thing the path names.
        ({"measure": "no_such_measure"}, 422, "measure"),
        ({"area": "E99999999"}, 422, "area"),
        # The fire source records no ages: a combination the caller must change, not a server error.
        ({"measure": "fire_callouts", "by": "age_band"}, 422, "by"),
    ],
)
def test_bad_parameters_are_named(web_data, token_for, params, status, named) -> None:
    _, key = token_for("analyst")
    for url in ("/api/measures", "/api/public/measures"):
        response = get(bearer(key), url, **params)
        assert response.status_code == status, (url, response.content)
        assert response.json()["detail"].startswith(f"{named}: ")


@pytest.mark.slow
@pytest.mark.django_db
def test_unknown_measure_and_definition_are_404(web_data, token_for) -> None:
    _, key = token_for("analyst")
    client = bearer(key)
    response = get(client, "/api/measures/no_such_measure")
    assert response.status_code == 404 and "no_such_measure" in response.json()["detail"]
    response = get(client, "/api/definitions/no_such_definition")
    assert response.status_code == 404 and "merseyside_local" in response.json()["hint"]


# -- public endpoints ---------------------------------------------------------------------------------
def constructed_frame() -> pd.DataFrame:
    """Two years of one measure. 2019 has two small borough counts; 2020 has one (Knowsley, 4), which the
    force total minus the other boroughs would give back, so a second cell must be suppressed with it."""
    from vrhub.measures import COLUMNS

    names = {
        FORCE_CODE: "Merseyside",
        "E08000011": "Knowsley",
        "E08000012": "Liverpool",
        "E08000013": "St. Helens",
        "E08000014": "Sefton",
        "E08000015": "Wirral",
    }
    values = {"2019": [30, 3, 12, 0, 7, 8], "2020": [40, 4, 9, 0, 12, 15]}
    rows = [
        {
            "measure_id": "ed_assault_attendances",
            "period": period,
            "area_code": code,
            "area_name": name,
            "breakdown": "",
            "value": v,
            "unit": "attendances",
            "rate_per_100k": float(v),
            "change_vs_previous_pct": 10.0,
            "change_vs_baseline_pct": 5.0,
            "definition_version": "catalogue@x",
            "snapshot": "test",
        }
        for period, vs in values.items()
        for (code, name), v in zip(names.items(), vs, strict=True)
    ]
    return pd.DataFrame(rows).reindex(columns=COLUMNS)


@pytest.mark.django_db
def test_public_measures_suppress_small_counts_below_force_level(web_data, client, monkeypatch) -> None:
    from vrhub.web import figures

    monkeypatch.setattr(figures, "measures_frame", lambda **kwargs: constructed_frame())
    body = get(client, "/api/public/measures", measure="ed_assault_attendances").json()
    shown = {(r["period"], r["area_code"]): r["value"] for r in body["items"]}
    assert shown == {
        ("2019", FORCE_CODE): 30,
        ("2019", "E08000011"): "*",
        ("2019", "E08000012"): 10,
        ("2019", "E08000013"): 0,
        ("2019", "E08000014"): "*",
        ("2019", "E08000015"): 10,
        # Knowsley's 4 alone would be 40 - 9 - 0 - 12 - 15. Hiding St Helens' 0 beside it would still give
        # the pair's sum (4): the smallest cell that lifts the hidden sum to 8, Liverpool's 9, goes too.
        ("2020", FORCE_CODE): 40,
        ("2020", "E08000011"): "*",
        ("2020", "E08000012"): "*",
        ("2020", "E08000013"): 0,
        ("2020", "E08000014"): 10,
        ("2020", "E08000015"): 15,
    }
    # Changes below force level would undo the rounding; the force total's are published.
    for r in body["items"]:
        assert (r["change_vs_previous_pct"] is None) == (r["area_code"] != FORCE_CODE)
    # Filtering by area comes after disclosure control: Liverpool stays suppressed when asked for alone.
    alone = get(client, "/api/public/measures", measure="ed_assault_attendances", area="E08000012").json()
    assert [(r["period"], r["value"]) for r in alone["items"]] == [("2019", 10), ("2020", "*")]


@pytest.mark.django_db
@pytest.mark.slow
def test_public_measures_on_real_rows_never_show_1_to_7_below_force(web_data, client) -> None:
    for params in ({}, {"period": "month", "measure": "ed_assault_attendances", "by": "sex"}):
        body = get(client, "/api/public/measures", limit=10000, **params).json()
        assert body["count"] > 0
        for r in body["items"]:
            below_force = r["area_code"] != FORCE_CODE or r["breakdown"] != ""
            if below_force and r["unit"] != "percent" and isinstance(r["value"], int | float):
                assert not 1 <= r["value"] <= 7, r
                assert r["value"] % 5 == 0, r
    # Boroughs are published by calendar year only: the fixture's Knowsley count of 2 in March 2019 is not
    # published at all (its months would add up to its year), while the force's months are.
    month = get(
        client, "/api/public/measures", measure="ed_assault_attendances", period="month", area=KNOWSLEY
    ).json()
    assert month["items"] == []
    force = get(client, "/api/public/measures", measure="ed_assault_attendances", period="month").json()
    assert {r["area_code"] for r in force["items"]} == {FORCE_CODE} and force["count"] > 0


@pytest.mark.django_db
def test_published_figures_need_no_sign_in(client) -> None:
    from vrhub.reports.published import figures, self_disagreements

    body = get(client, "/api/published-figures").json()
    assert len(body["figures"]) == len(figures())
    # strategy_figures.csv, first row: 309 knife admissions in the 2019 baseline.
    first = body["figures"][0]
    assert (first["measure_id"], first["period"], first["value"]) == ("ho_knife_admissions", "2019", 309)
    assert len(body["disagreements"]) == len(self_disagreements()) > 0


# -- authentication and roles -------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.django_db
def test_token_authentication(web_data, token_for) -> None:
    token, key = token_for("partner", "Merseyside Police")
    assert token.last_used is None
    assert get(Client(), "/api/areas").status_code == 401
    assert get(bearer("vrh_not-a-real-key"), "/api/areas").status_code == 401
    assert get(Client(HTTP_AUTHORIZATION=f"Token {key}"), "/api/areas").status_code == 401
    assert get(bearer(key), "/api/areas").status_code == 200
    token.refresh_from_db()
    assert token.last_used is not None
    token.revoke()
    assert get(bearer(key), "/api/areas").status_code == 401
    # An inactive user's token stops working with the account.
    other, other_key = token_for("analyst")
    other.user.is_active = False
    other.user.save()
    assert get(bearer(other_key), "/api/areas").status_code == 401


@pytest.mark.django_db
def test_key_is_stored_only_as_its_hash(token_for) -> None:
    from vrhub.web.api.models import ApiToken

    token, key = token_for("analyst")
    assert key.startswith("vrh_") and len(key) > 40
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:12]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert key not in stored and key[12:] not in stored


@pytest.mark.django_db
def test_signed_in_session_works_and_anonymous_is_refused(web_data, client_as, client) -> None:
    assert get(client_as("viewer"), "/api/areas").status_code == 200
    assert get(client, "/api/areas").status_code == 401
    assert get(client, "/api/measures").status_code == 401


@pytest.mark.django_db
@pytest.mark.slow
def test_viewer_token_sees_aggregates_only(web_data, token_for) -> None:
    _, key = token_for("viewer")
    client = bearer(key)
    assert get(client, "/api/measures", measure="ed_assault_attendances").status_code == 200
    assert get(client, "/api/quality").status_code == 200
    response = get(client, "/api/loads")
    assert response.status_code == 403 and "aggregate" in response.json()["detail"]


@pytest.mark.slow
@pytest.mark.django_db
def test_loads_by_role(web_data, token_for) -> None:
    from vrhub.web.warehouse import hub

    _, analyst = token_for("analyst")
    loads = get(bearer(analyst), "/api/loads").json()
    files = hub().loads().to_pandas()
    assert [(x["load_id"], x["file_name"]) for x in loads] == list(
        zip(files.load_id, files.file_name, strict=True)
    )
    assert all(
        "file_path" not in x for x in loads
    )  # where the server keeps files is not the caller's business
    # A partner sees only loads of their own agency's uploads; this agency has uploaded nothing.
    _, partner = token_for("partner", "Wirral Council")
    assert get(bearer(partner), "/api/loads").json() == []


@pytest.mark.slow
@pytest.mark.django_db
def test_partner_sees_only_loads_of_their_own_agencys_uploads(web_data, token_for) -> None:
    uploads = pytest.importorskip("vrhub.web.uploads.models")
    from vrhub.web.accounts.models import Organisation
    from vrhub.web.warehouse import hub

    police_token, police = token_for("partner", "Merseyside Police")
    _, health = token_for("partner", "Health Board")
    files = hub().loads().to_pandas().set_index("source")["load_id"]
    own = {
        "police-records": police_token.user.profile.organisation,
        "ed-attendances": Organisation.objects.get(name="Health Board"),
    }
    for source, organisation in own.items():
        uploads.Upload.objects.create(
            organisation=organisation,
            source=source,
            original_name="good.csv",
            stored_file="x",
            sha256="0" * 64,
            size=1,
            load_id=int(files[source]),
        )
    seen = [x["source"] for x in get(bearer(police), "/api/loads").json()]
    assert seen == ["police-records"]
    assert [x["source"] for x in get(bearer(health), "/api/loads").json()] == ["ed-attendances"]


# -- management command and admin ---------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.django_db
def test_api_token_command_creates_lists_and_revokes(web_data, make_user) -> None:
    from vrhub.web.accounts.models import AuditEvent
    from vrhub.web.api.models import ApiToken

    make_user("partner", "Merseyside Fire", username="fire-bot")
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "create", "fire-bot", "nightly extract", stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user__username="fire-bot")
    assert token.name == "nightly extract" and token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert "shown once" in err.getvalue()
    assert get(bearer(key), "/api/areas").status_code == 200

    listing = io.StringIO()
    call_command("api_token", "list", "fire-bot", stdout=listing)
    assert token.prefix in listing.getvalue() and key not in listing.getvalue()

    call_command("api_token", "revoke", token.prefix, stdout=io.StringIO())
    assert get(bearer(key), "/api/areas").status_code == 401
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "api_token_created",
        "api_token_revoked",
    }

    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("api_token", "create", "nobody", "x")


@pytest.mark.slow
@pytest.mark.django_db
def test_admin_lists_tokens_without_keys(client_as, token_for) -> None:
    token, key = token_for("partner", "Merseyside Police")
    admin = client_as("admin")
    page = admin.get("/admin/api/apitoken/", secure=True)
    assert page.status_code == 200
    assert token.prefix in page.content.decode() and key not in page.content.decode()
    assert admin.get("/admin/api/apitoken/add/", secure=True).status_code == 403
    admin.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        secure=True,
    )
    token.refresh_from_db()
    assert token.revoked is not None


# -- specification and documentation -------------------------------------------------------------------
@pytest.mark.django_db
def test_openapi_spec_types_every_response(client) -> None:
    spec = get(client, "/api/openapi.json").json()
    paths = spec["paths"]
    assert set(paths) >= {
        "/api/public/measures",
        "/api/published-figures",
        "/api/measures",
        "/api/measures/{measure_id}",
        "/api/catalogue",
        "/api/areas",
        "/api/definitions",
        "/api/definitions/{name}",
        "/api/quality",
        "/api/loads",
    }
    for path, operations in paths.items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                assert "application/json" in response.get("content", {}), (path, method, status)
            # Public endpoints need nothing; every other one says a token or session is needed.
            assert bool(operation.get("security")) == (
                not path.startswith(("/api/public", "/api/published"))
            ), path
    assert spec["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_docs_page_serves_swagger_from_this_server_without_inline_script(client) -> None:
    page = get(client, "/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="/api/docs/assets/swagger-ui-bundle.js"' in html
    assert "cdn" not in html.lower()
    # The only <script> without a src holds JSON, which CSP does not treat as a script.
    tags = re.findall(r"<script[^>]*>", html)
    assert tags == [
        '<script id="swagger-settings" type="application/json">',
        '<script src="/api/docs/assets/swagger-ui-bundle.js">',
        '<script src="/api/docs/assets/swagger-ui-init.js">',
    ]
    script = get(client, "/api/docs/assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    assert get(client, "/api/docs/assets/settings.py").status_code == 404
    assert get(client, "/api/docs/assets/..%2F__init__.py").status_code == 404

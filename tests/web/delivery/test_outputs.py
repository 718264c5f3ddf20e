"""360Giving export (validated with jsonschema), the steering group pack (HTML, PDF), the demo, and the
delivery indicators, each checked by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import REALDATA
from vrhub.web.delivery import giving360
from vrhub.web.delivery.indicators import delivery_indicators, write_indicators_csv
from vrhub.web.delivery.models import (
    CaseStudy,
    DeliverySite,
    ExceptionReport,
    Feedback,
    QuarterlyUpdate,
    TrainingAttendance,
    TrainingSession,
)

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def validator(folder: Path) -> jsonschema.protocols.Validator:
    package = json.loads((folder / "360-giving-package-schema.json").read_text())
    grant = json.loads((folder / "360-giving-schema.json").read_text())
    # 360Giving writes the dialect as http://json-schema.org/draft/2020-12/schema (no https), which
    # `referencing` does not recognise: name the dialect explicitly.
    resource = Resource.from_contents(grant, default_specification=DRAFT202012)
    # The package schema refers to the grant schema by its 1.4.2 address; the file is 1.4.3.
    registry = Registry().with_resources(
        [(grant["$id"], resource), (package["properties"]["grants"]["items"]["$ref"], resource)]
    )
    cls = jsonschema.Draft202012Validator
    return cls(package, registry=registry, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture
def awarded(approved, manager):
    approved.award(manager, "agreed", amount=Decimal("100000"), on=dt.date(2021, 7, 5))
    return approved


def test_360giving_package_validates(awarded):
    package = giving360.grants_package()
    validator(FIXTURES).validate(package)
    [g] = package["grants"]
    assert g["id"] == f"360G-vrhub-{awarded.pk}"
    assert (g["currency"], g["amountAwarded"], g["amountAppliedFor"]) == ("GBP", 100000, 120000.5)
    assert g["awardDate"] == "2021-07-05T00:00:00Z"
    assert g["beneficiaryLocation"][0] == {
        "name": "Liverpool",
        "geoCode": "E08000012",
        "geoCodeType": "MD",
        "countryCode": "GB",
    }
    # 1 September 2021 to 31 July 2022 is 11 months.
    assert g["plannedDates"] == [
        {"startDate": "2021-09-01T00:00:00Z", "endDate": "2022-07-31T00:00:00Z", "duration": 11}
    ]
    assert g["recipientOrganization"][0]["name"] == "Test Youth Charity"
    assert g["fundingOrganization"][0]["name"] == "Merseyside Violence Reduction Partnership"


@pytest.mark.realdata
def test_360giving_package_validates_against_the_published_schema(awarded):
    folder = REALDATA / "specs" / "360giving"
    if not folder.is_dir():
        pytest.skip("../shared/realdata/specs/360giving is absent")
    validator(folder).validate(giving360.grants_package())
    codes = {row["Code"] for row in csv.DictReader((folder / "geoCodeType.csv").open())}
    assert giving360.GEO_CODE_TYPE in codes


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amountAwarded", "100000"),
        ("currency", "POUNDS"),
        ("recipientOrganization", []),
        ("fromOpenCall", "maybe"),
    ],
)
def test_a_broken_grant_fails_validation(awarded, field, value):
    package = giving360.grants_package()
    package["grants"][0][field] = value
    with pytest.raises(jsonschema.ValidationError):
        validator(FIXTURES).validate(package)


def test_360giving_csv_columns(awarded):
    text = giving360.package_csv(giving360.grants_package())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    row = rows[0]
    assert row["Identifier"] == f"360G-vrhub-{awarded.pk}"
    assert row["Amount Awarded"] == "100000" and row["Currency"] == "GBP"
    assert row["Recipient Org:Name"] == "Test Youth Charity"
    assert row["Beneficiary Location:0:Geographic Code"] == "E08000012"
    assert row["Beneficiary Location:1:Geographic Code"] == "E08000015"
    assert row["Beneficiary Location:1:Geographic Code Type"] == "MD"
    # Every title is the schema's own (field titles from 360-giving-schema.json).
    schema = json.loads((FIXTURES / "360-giving-schema.json").read_text())
    titles = {p["title"] for p in schema["properties"].values() if "title" in p} | {"Currency"}
    for column in text.splitlines()[0].split(","):
        assert column.split(":")[0] in titles, column


def test_360giving_csv_quotes_what_a_partner_typed_and_the_json_keeps_it(awarded):
    awarded.title = '=HYPERLINK("http://evil","x")'
    awarded.summary = "+cmd|' /C calc'!A0"
    awarded.save()
    awarded.organisation.name = "@SUM(1)"
    awarded.organisation.save()
    package = giving360.grants_package()
    [row] = list(csv.DictReader(io.StringIO(giving360.package_csv(package))))
    assert row["Title"] == '\'=HYPERLINK("http://evil","x")'
    assert row["Description"] == "'+cmd|' /C calc'!A0"
    assert row["Recipient Org:Name"] == "'@SUM(1)"
    assert row["Amount Awarded"] == "100000" and row["Planned Dates:Duration (months)"] == "11"
    # The JSON package is data, not a spreadsheet: exactly what was typed.
    assert package["grants"][0]["title"] == '=HYPERLINK("http://evil","x")'
    assert package["grants"][0]["recipientOrganization"][0]["name"] == "@SUM(1)"


def test_indicators_hand_checked(intervention, orgs):
    # 2021-Q4: sessions on 12 Oct (25 + 18) and 7 Dec (14) -> 57 trained; the 11 Jan one is 2022-Q1.
    for day, counts in [
        (dt.date(2021, 10, 12), [25, 18]),
        (dt.date(2021, 12, 7), [14]),
        (dt.date(2022, 1, 11), [9]),
    ]:
        s = TrainingSession.objects.create(topic="aces", title="ACEs", date=day)
        for org, n in zip([orgs["council"], orgs["charity"]], counts, strict=False):
            TrainingAttendance.objects.create(session=s, organisation=org, count=n)
    CaseStudy.objects.create(
        title="a",
        story="s",
        consent_recorded=True,
        consent_date=dt.date(2021, 11, 1),
        recorded_on=dt.date(2021, 11, 1),
    )
    CaseStudy.objects.create(
        title="b", story="s", recorded_on=dt.date(2021, 11, 2)
    )  # no consent: not counted
    Feedback.objects.create(text="x", source="community", received_on=dt.date(2021, 12, 31), response="done")
    Feedback.objects.create(text="y", source="young_person", received_on=dt.date(2021, 12, 30))
    for i in range(3):
        DeliverySite.objects.create(intervention=intervention, name=f"School {i}", intensive_mentor=i < 2)
    rows = {(r["indicator_id"], r["area_code"]): r["value"] for r in delivery_indicators("2021-Q4")}
    assert rows[("professionals_trained", "E23000004")] == 57
    assert rows[("case_studies", "E23000004")] == 1
    assert rows[("feedback_received", "E23000004")] == 2
    assert rows[("feedback_responded", "E23000004")] == 1
    assert rows[("interventions_active", "E23000004")] == 1
    assert (
        rows[("interventions_active", "E08000012")] == 1 and rows[("interventions_active", "E08000011")] == 0
    )
    assert rows[("mentoring_schools", "E23000004")] == 2
    # Quarterly updates: 12 young people (4 given a mental-health intervention) and 7 (3); 2022-Q1's 30 (9)
    # belong to the next quarter.
    for org, quarter, supported, mental_health in [
        ("charity", "2021-Q4", 12, 4),
        ("council", "2021-Q4", 7, 3),
        ("charity", "2022-Q1", 30, 9),
    ]:
        QuarterlyUpdate.objects.create(
            intervention=intervention,
            organisation=orgs[org],
            quarter=quarter,
            narrative="n",
            young_people_supported=supported,
            young_people_mental_health=mental_health,
        )
    rows = {(r["indicator_id"], r["area_code"]): r["value"] for r in delivery_indicators("2021-Q4")}
    assert rows[("young_people_supported", "E23000004")] == 19
    assert rows[("young_people_mental_health", "E23000004")] == 7
    q1 = {
        r["indicator_id"]: r["value"] for r in delivery_indicators("2022-Q1") if r["area_code"] == "E23000004"
    }
    assert q1["professionals_trained"] == 9
    # From the first record (the intervention's start, 2021-Q2) to the last complete quarter: on 15 January
    # 2022, 2022-Q1 is under way and left out; on its last day it is still under way.
    periods = {r["period"] for r in delivery_indicators(today=dt.date(2022, 1, 15))}
    assert periods == {"2021-Q2", "2021-Q3", "2021-Q4"}
    assert "2022-Q1" not in {r["period"] for r in delivery_indicators(today=dt.date(2022, 3, 31))}
    assert "2022-Q1" in {r["period"] for r in delivery_indicators(today=dt.date(2022, 4, 1))}


def test_indicators_load_through_the_indicators_source(intervention, tmp_path, data_dir, key):
    from vrhub.config import settings
    from vrhub.hub import Hub
    from vrhub.measures import MeasureRequest
    from vrhub.web.delivery.indicators import ingest_delivery_indicators

    hub = Hub(settings(data_dir=data_dir))
    summary = ingest_delivery_indicators(hub, quarter="2021-Q4", folder=tmp_path)
    assert summary.rows_quarantined == 0 and summary.rows_loaded == 8 + 5
    table = hub.measures(
        MeasureRequest(measures=["interventions_active"], area="E23000004")
    ).table.to_pylist()
    assert [(r["period"], r["value"]) for r in table] == [("2021-Q4", 1)]
    written = write_indicators_csv(tmp_path / "x.csv", delivery_indicators("2021-Q4"))
    assert written.read_text().splitlines()[0] == "indicator_id,area_code,period,value,unit,note"


def test_demo_loads_once_and_raises_exception_reports():
    from vrhub.web.delivery.demo import load_demo_delivery
    from vrhub.web.delivery.models import Application, Intervention

    summary = load_demo_delivery()
    assert summary["exception_reports"] >= 1
    assert ExceptionReport.objects.filter(status="open").count() == summary["exception_reports"]
    assert set(Intervention.objects.values_list("priority__slug", flat=True)) == {
        "early-years",
        "education",
        "health",
        "whole-family",
        "preventing-offending",
    }
    assert set(Intervention.objects.values_list("tier__slug", flat=True)) == {
        "primary",
        "secondary",
        "tertiary",
    }
    assert DeliverySite.objects.filter(intensive_mentor=True, kind="school").count() == 8
    for app in Application.objects.filter(state__in=Application.AWARDED_STATES):
        assert app.award_gaps() == [] and app.decisions.filter(to_state="awarded").exists()
    assert Application.objects.filter(state="refused").count() == 2
    assert load_demo_delivery()["loaded"] == 0  # a second load adds nothing
    rows = {
        r["indicator_id"]: r["value"] for r in delivery_indicators("2021-Q4") if r["area_code"] == "E23000004"
    }
    assert rows["mentoring_schools"] == 8 and rows["professionals_trained"] == 25 + 18 + 30 + 12 + 14 + 9
    validator(FIXTURES).validate(giving360.grants_package())


@pytest.mark.slow
def test_pack_renders_html_and_pdf(tmp_path):
    from vrhub.web.delivery.demo import load_demo_delivery
    from vrhub.web.delivery.pack import write_pack

    load_demo_delivery()
    pack = write_pack("2021-Q4", tmp_path, hub=None, today=dt.date(2022, 1, 15))
    html = pack.html.read_text()
    assert "Steering group pack: 2021-Q4" in html
    assert "Referral pathway agreed with every school" in html  # an open exception report
    assert "Merseyside Schools Partnership" in html  # a missing update
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pack.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in [
        "Spend against budget",
        "Open exception reports",
        "Missing partner updates",
        "Intensive mentoring in schools",
        "Home Office success measures",
    ]:
        assert words in text, words


def test_an_update_cannot_count_more_mental_health_interventions_than_young_people(intervention, orgs):
    from django.core.exceptions import ValidationError

    update = QuarterlyUpdate(
        intervention=intervention,
        organisation=orgs["charity"],
        quarter="2021-Q4",
        narrative="n",
        young_people_supported=3,
        young_people_mental_health=5,
    )
    with pytest.raises(ValidationError, match="more than the young people"):
        update.full_clean()


# -- refusals the command line and the pages show alike ------------------------------------------------------
def test_an_export_in_an_unknown_format_names_the_format_and_writes_nothing(awarded, tmp_path):
    from vrhub.errors import BadValue

    with pytest.raises(BadValue) as raised:
        giving360.write_export(tmp_path / "grants.xml", "xml")
    assert (raised.value.parameter, raised.value.value, raised.value.hint) == (
        "format",
        "xml",
        "Use one of: json, csv.",
    )
    assert not (tmp_path / "grants.xml").exists()


def test_an_export_with_nothing_awarded_is_refused_and_one_with_grants_counts_them(awarded, tmp_path):
    from vrhub.errors import VrhubError
    from vrhub.web.delivery.models import Application

    assert giving360.write_export(tmp_path / "grants.json") == 1  # the one award of the fixture
    assert len(json.loads((tmp_path / "grants.json").read_text())["grants"]) == 1
    Application.objects.update(state="submitted")
    with pytest.raises(VrhubError, match="no awarded grants") as raised:
        giving360.write_export(tmp_path / "none.json")
    assert raised.value.exit_code == 1 and not (tmp_path / "none.json").exists()


def test_a_pack_for_a_quarter_written_wrong_is_refused_before_anything_is_written(tmp_path):
    from vrhub.errors import BadValue
    from vrhub.web.delivery.pack import write_pack

    with pytest.raises(BadValue) as raised:
        write_pack("2021-Q5", tmp_path / "packs", pdf=False)
    assert (raised.value.parameter, raised.value.value, raised.value.exit_code) == ("quarter", "2021-Q5", 2)
    assert not (tmp_path / "packs").exists()


def test_a_form_refuses_a_quarter_in_the_words_of_measures_periods():
    from django.core.exceptions import ValidationError

    from vrhub.web.delivery.reference import validate_quarter

    validate_quarter("2021-Q4")
    with pytest.raises(ValidationError) as raised:
        validate_quarter("2021-Q5")
    assert raised.value.messages == ["'2021-Q5' is not a quarter. Write it as 2021-Q4."]

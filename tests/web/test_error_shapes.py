"""Every error about one input has the same parameter, value and hint on the command line, the API and the
pages, and the same status on the API and the pages: 404 for an unknown thing the path names, 422 for a bad
query value. The library words the hint; each interface only names the parameter its own way."""

from __future__ import annotations

import html
import logging
import re

import pytest
from typer.testing import CliRunner

from tests.web.conftest import bearer
from vrhub.cli import app

pytestmark = pytest.mark.django_db

# (parameter, value, CLI arguments, CLI's name for it, API call, API status, page, page status)
CASES = [
    ("measure", "no_such_measure", ["measures", "-m", "no_such_measure"], "--measure",
     ("/api/measures", {"measure": "no_such_measure"}), 422, "/measures/no_such_measure/", 404),
    ("measure", "no_such_measure", ["trends", "-m", "no_such_measure"], "--measure",
     ("/api/measures/no_such_measure", {}), 404, "/measures/no_such_measure.csv", 404),
    ("area", "E08999999", ["measures", "--area", "E08999999"], "--area",
     ("/api/measures", {"area": "E08999999"}), 422, "/dashboard/?area=E08999999", 422),
    ("area", "E08999999", ["measures", "--area", "E08999999"], "--area",
     ("/api/public/measures", {"area": "E08999999"}), 422, "/boroughs/E08999999/", 404),
    ("period", "weekly", ["measures", "--period", "weekly"], "--period",
     ("/api/measures", {"period": "weekly"}), 422, None, None),
    ("by", "height", ["measures", "--by", "height"], "--by",
     ("/api/public/measures", {"by": "height"}), 422, None, None),
    ("by", "age_band", ["measures", "-m", "fire_callouts", "--by", "age_band"], "--by",
     ("/api/measures", {"measure": "fire_callouts", "by": "age_band"}), 422, None, None),
    # `definitions show NAME` takes the definition as its argument, so the CLI names no option for it.
    ("definition", "no_such_definition", ["definitions", "show", "no_such_definition"], None,
     ("/api/definitions/no_such_definition", {}), 404, None, None),
    # `cohort outcomes NAME` takes the cohort as its argument, and names it so.
    ("name", "no_such_cohort", ["cohort", "outcomes", "no_such_cohort"], "NAME",
     ("/api/cohorts/no_such_cohort/outcomes", {}), 404, "/cohorts/no_such_cohort/", 404),
    ("follow_up", "six", ["cohort", "outcomes", "young-knife-victims-2019", "--follow-up", "six"],
     "--follow-up",
     ("/api/cohorts/young-knife-victims-2019/outcomes", {"follow_up": "six"}), 422,
     "/cohorts/young-knife-victims-2019/?follow_up=six", 422),
]  # fmt: skip


def cli_error(args: list[str], folder: object) -> tuple[str, str, str | None]:
    """(what, hint, the option or argument named) from `Error: <what>`, a blank line, `[<option>: ]<hint>`."""
    result = CliRunner().invoke(app, [*args, "--data-dir", str(folder)])
    assert result.exit_code == 2, result.output
    what, blank, advice = result.output.rstrip("\n").split("\n")[:3]
    assert what.startswith("Error: ") and blank == "", result.output
    named = re.match(r"(--[a-z-]+|[A-Z][A-Z_]*): ", advice)  # an option, or an argument by its metavar
    return what.removeprefix("Error: "), advice[named.end() :] if named else advice, named and named[1]


def page_error(response: object) -> dict[str, str]:
    text = response.content.decode()  # type: ignore[attr-defined]

    def found(pattern: str) -> str:
        match = re.search(pattern, text, re.S)
        assert match, (pattern, text[-3000:])
        return html.unescape(match[1]).strip()

    return {
        "parameter": found(r'data-parameter="([^"]*)"'),
        "value": found(r'data-value="([^"]*)"'),
        "message": found(r'class="govuk-error-message"><span[^>]*>Error:</span>(.*?)</p>'),
        "hint": found(r"<p class=\"govuk-body\" data-hint>(.*?)</p>"),
        "summary": found(r'govuk-error-summary__list">\s*<li><a href="#([^"]+)"'),
    }


@pytest.mark.parametrize(
    ("parameter", "value", "args", "option", "call", "api_status", "page", "page_status"), CASES
)
@pytest.mark.slow
def test_every_error_path_has_one_shape(
    web_data, token_for, client_as, parameter, value, args, option, call, api_status, page, page_status
) -> None:
    what, hint, named = cli_error(args, web_data)
    assert named == option
    assert value in what and hint and "--" not in hint  # the library's hint names no command-line flag

    _, key = token_for("analyst")
    url, params = call
    response = bearer(key).get(url, params, secure=True)
    assert response.status_code == api_status, response.content
    body = response.json()
    assert body["parameter"] == parameter and body["value"] == value
    assert body["detail"] == f"{parameter}: {what}" and body["hint"] == hint
    assert body["location"] == ("path" if api_status == 404 else "query")

    if page is None:  # no page takes this input
        return
    response = client_as("viewer").get(page, secure=True)
    assert response.status_code == page_status
    shown = page_error(response)
    assert shown == {
        "parameter": parameter,
        "value": value,
        "message": what,
        "hint": hint,
        "summary": parameter,
    }


def test_a_forbidden_page_logs_one_line_not_a_traceback(web_data, client_as, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_as("viewer").get("/uploads/", secure=True)
    assert response.status_code == 403
    refused = [r for r in caplog.records if r.name == "django.request"]
    assert len(refused) == 1 and refused[0].getMessage() == "Forbidden (Permission denied): /uploads/"
    assert refused[0].exc_info is None and refused[0].exc_text is None

"""`vrhub cohort list` and `vrhub cohort outcomes NAME --follow-up 6,12,24 --format csv|json|table`: the
published tables on standard output, the caveats on standard error, mistakes named by their option."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from vrhub.cli import app
from vrhub.hub import Hub

runner = CliRunner()
NAVIGATORS = "participants:Navigators"


def _run(hub: Hub, *args: str, status: int = 0):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, [*args, "--data-dir", str(hub.settings.data_dir)])
    assert result.exit_code == status, result.output
    return result


@pytest.mark.slow
def test_cohort_list(small_hub: Hub) -> None:
    rows = list(csv.DictReader(io.StringIO(_run(small_hub, "cohort", "list", "--format", "csv").stdout)))
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {
        "young-knife-victims-2019",
        "excluded-or-missing-education",
        "participants:Navigators",
    }
    # Three participants: a count of 1 to 7, hidden.
    assert by_name[NAVIGATORS]["members"] == "*"
    assert by_name["young-knife-victims-2019"]["members"] == "0"


@pytest.mark.slow
def test_cohort_outcomes_as_csv_with_the_caveats_beside_it(small_hub: Hub) -> None:
    done = _run(small_hub, "cohort", "outcomes", NAVIGATORS, "--follow-up", "6,12", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["outcome"], r["follow_up_months"]) for r in rows[:2]] == [
        ("offending", "6"),
        ("offending", "12"),
    ]
    assert rows[0]["cohort_with_outcome"] == "*" and rows[0]["cohort_proportion"] == "*"
    assert "Note: Observational design" in done.stderr
    balance = _run(small_hub, "cohort", "outcomes", NAVIGATORS, "--part", "balance", "-f", "csv")
    assert next(csv.DictReader(io.StringIO(balance.stdout)))["covariate"] == "age_band"


@pytest.mark.slow
def test_cohort_outcomes_as_json_is_the_whole_result(small_hub: Hub) -> None:
    done = _run(small_hub, "cohort", "outcomes", NAVIGATORS, "--format", "json")
    result = json.loads(done.stdout)
    assert result["follow_up_months"] == [6, 12, 24] and result["view"].startswith("aggregate")
    assert {"estimates", "balance", "summary", "notes"} <= set(result) and "people" not in result


def test_mistakes_are_named_by_their_option(small_hub: Hub) -> None:
    done = _run(small_hub, "cohort", "outcomes", NAVIGATORS, "--follow-up", "0", status=2)
    assert "--follow-up: Give whole months above 0" in done.stderr
    done = _run(small_hub, "cohort", "outcomes", NAVIGATORS, "--part", "people", status=2)
    assert "--part: Use one of: estimates, balance, summary." in done.stderr
    done = _run(small_hub, "cohort", "outcomes", "nobody", status=2)
    assert "no cohort named 'nobody'" in done.stderr and NAVIGATORS in done.stderr


@pytest.mark.slow
def test_cohort_list_as_json_gives_members_as_numbers_and_says_which_are_hidden(small_hub: Hub) -> None:
    rows = json.loads(_run(small_hub, "cohort", "list", "--format", "json").stdout)
    by_name = {r["name"]: r for r in rows}
    assert by_name[NAVIGATORS]["members"] is None and by_name[NAVIGATORS]["members_suppressed"] is True
    knife = by_name["young-knife-victims-2019"]
    assert knife["members"] == 0 and knife["members_suppressed"] is False


@pytest.mark.slow
def test_cohort_outcomes_as_json_honours_the_part_asked_for(small_hub: Hub) -> None:
    done = _run(small_hub, "cohort", "outcomes", NAVIGATORS, "--format", "json", "--part", "balance")
    result = json.loads(done.stdout)
    assert set(result) == {"cohort", "title", "follow_up_months", "view", "balance", "notes"}
    assert result["balance"][0]["covariate"] == "age_band"
    summary = json.loads(
        _run(small_hub, "cohort", "outcomes", NAVIGATORS, "-f", "json", "--part", "summary").stdout
    )
    assert "estimates" not in summary and summary["summary"]["cohort_label"] == NAVIGATORS

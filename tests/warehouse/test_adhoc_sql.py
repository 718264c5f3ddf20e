"""`vrhub sql` is one read-only query with a time limit, and says what is wrong in a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli_ingest import error_lines, vrhub


@pytest.mark.parametrize(
    ("query", "what"),
    [
        ("SELECT 'unterminated FROM loads", "cannot read the SQL: "),
        ("SELECT * FROM loads WHERE {", "cannot read the SQL: "),
        ("SELECT pg_terminate_backend(1)", "the function pg_terminate_backend() is not allowed in vrhub sql"),
        ("SELECT set_config('a.b', 'c', false)", "the function set_config() is not allowed in vrhub sql"),
        ("SELECT lo_from_bytea(0, 'x')", "the function lo_from_bytea() is not allowed in vrhub sql"),
        ("SELECT * FROM glob('/etc/*')", "the function glob() is not allowed in vrhub sql"),
    ],
)
def test_a_query_that_cannot_run_is_refused_in_a_sentence(data_dir: Path, query: str, what: str) -> None:
    result = vrhub(data_dir, "sql", query)
    assert result.exit_code == 2, result.output
    found, hint = error_lines(result)
    assert found.startswith(what) and "Traceback" not in result.output
    assert "\n" not in found  # one sentence, not the parser's listing


@pytest.mark.slow
def test_a_long_query_is_stopped_after_the_time_limit(data_dir: Path) -> None:
    result = vrhub(data_dir, "sql", "SELECT count(*) FROM range(100000000000)", "--timeout", "0.5")
    assert result.exit_code == 1, result.output
    what, hint = error_lines(result)
    assert what == "the query ran for more than 0.5 s and was stopped"
    assert "--timeout" in hint
    # The warehouse still answers afterwards.
    assert vrhub(data_dir, "sql", "SELECT 1 AS one", "--format", "csv").stdout == "one\n1\n"

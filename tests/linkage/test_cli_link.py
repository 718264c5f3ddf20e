"""The linkage as a user types it: `vrhub ingest people FILE --agency NAME`, then `vrhub link run`,
`link clusters`, `link quality` and `link purge`."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vrhub.cli import app
from vrhub.synth.people import AGENCIES

runner = CliRunner()


def vrhub(data_dir: Path, *args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*map(str, args), "--data-dir", str(data_dir)])


def test_people_need_their_agency(data_dir: Path, key: bytes, population: dict[str, Path]) -> None:
    result = vrhub(data_dir, "ingest", "people", population["police"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: people records need the agency that holds them")
    assert "--agency: Name the agency" in result.stderr


@pytest.mark.slow
def test_load_link_list_judge_and_purge(
    data_dir: Path, key: bytes, population: dict[str, Path], tmp_path: Path
) -> None:
    for agency in AGENCIES:
        loaded = vrhub(data_dir, "ingest", "people", population[agency], "--agency", agency, "--json")
        assert loaded.exit_code == 0, loaded.stderr
        summary = json.loads(loaded.stdout)
        assert summary["source"] == "people" and summary["agency"] == agency and summary["rows_loaded"] > 0
    run = vrhub(data_dir, "link", "run", "--json")
    assert run.exit_code == 0, run.stderr
    linked = json.loads(run.stdout)
    assert linked["mode"] == "full" and linked["engine"] == "duckdb"
    again = vrhub(data_dir, "link", "run", "--full")  # in words, as a person reads it
    assert again.exit_code == 0, again.stderr
    first_line = f"Run {linked['run_id'] + 1} (full, duckdb): {linked['records']:,} records"
    assert again.stdout.startswith(first_line)
    joined = linked["lone_records_joined"]  # the same records, trained with the same seed
    assert joined > 0  # the synthetic population has records the threshold leaves alone
    told = f"{joined:,} records the threshold left alone joined their likeliest partner's person"
    assert told in again.stdout

    listed = vrhub(data_dir, "link", "clusters", "--format", "csv")
    rows = list(csv.reader(io.StringIO(listed.stdout)))
    assert rows[0] == ["file_name", "row_number", "person_id"] and len(rows) == linked["records"] + 1
    assert {r[0] for r in rows[1:]} == {file for file, _, _ in AGENCIES.values()}

    sample = tmp_path / "review.csv"
    judged = vrhub(
        data_dir, "link", "quality", "--truth", population["truth"], "--review-sample", sample, "--json"
    )
    assert judged.exit_code == 0, judged.stderr
    quality = json.loads(judged.stdout)
    assert quality["measured"]["precision"] >= 0.95 and sample.exists()
    words = vrhub(data_dir, "link", "quality")
    assert re.search(r"Estimated \(from the model\): precision \d\.\d{3}, recall \d\.\d{3}; ", words.stdout)

    refused = vrhub(data_dir, "link", "purge", "--older-than", "a year")
    assert refused.exit_code == 2 and "--older-than:" in refused.stderr
    kept = vrhub(data_dir, "link", "purge", "--older-than", "365d", "--json")
    assert json.loads(kept.stdout)["records"] == 0  # everything was loaded today

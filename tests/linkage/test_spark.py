"""The Spark engine (splink's Spark backend, local mode) finds the same people as DuckDB in the same
records."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from vrhub.hub import Hub
from vrhub.synth.people import AGENCIES, generate_people

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="Java (17) is not installed"),
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None, reason="pyspark is not installed"),
]


def test_spark_finds_the_same_people_as_duckdb(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VRHUB_SPARK_PARTITIONS", "2")  # a few hundred records: fewer, smaller tasks
    files = generate_people(tmp_path / "people", records=600, seed=11)
    for agency in AGENCIES:
        list(hub.ingest_people([files[agency]], agency=agency))
    duck = hub.link(engine="duckdb")
    by_duckdb = hub.link_clusters().to_pylist()
    spark = hub.link(engine="spark", full=True)
    assert spark.engine == "spark" and spark.records == duck.records
    assert spark.people == duck.people and spark.pairs_linked == duck.pairs_linked
    assert hub.link_clusters().to_pylist() == by_duckdb

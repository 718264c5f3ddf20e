"""Malformed files for every source (issue 11, item 10): each is refused whole, naming the file, with the
warehouse untouched, or loads with every row it holds read and each one loaded, quarantined or skipped as a
duplicate; nothing else (no other exception) ever happens.

The files come from `fuzzfiles.py`, shared with `benchmarks/fuzz.py` (which runs a thousand and more; see
docs/performance.md, "Fuzzing"). VRHUB_FUZZ_EXAMPLES sets how many files each source gets here.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from tests.sources.fuzzfiles import (
    ALL_SOURCES,
    BYTE_MUTATIONS,
    TABLE_MUTATIONS,
    WHOLE_FILES,
    count_rows,
    file_for_seed,
    ingest_fuzzed,
    make_file,
)
from vrhub.hub import Hub

EXAMPLES = int(os.environ.get("VRHUB_FUZZ_EXAMPLES", "12"))
_numbers = itertools.count(1)


class HypothesisDraw:
    """Draws through hypothesis, so that a failing file shrinks to a smaller one."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def integer(self, low: int, high: int) -> int:
        return self.data.draw(st.integers(low, high))


@pytest.mark.slow
@pytest.mark.parametrize("source", ALL_SOURCES)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    print_blob=True,
    # One warehouse for all of a source's files (the `hub` fixture, made once per test): a copy for each
    # file would take longer than loading it.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(data=st.data())
def test_a_malformed_file_is_refused_whole_or_every_row_is_accounted_for(
    source: str, hub: Hub, tmp_path: Path, data: st.DataObject
) -> None:
    fuzzed = make_file(source, HypothesisDraw(data), next(_numbers))
    note(fuzzed.describe())
    outcome = ingest_fuzzed(hub, fuzzed, tmp_path)
    note(f"refused: {outcome.refused}" if outcome.refused else f"loaded: {outcome.summary}")


def test_the_generator_makes_every_kind_of_damage_and_counts_what_it_can() -> None:
    """Without loading anything: over a few hundred seeds every mutation is drawn, for every source, and
    most files are still well-formed enough for their rows to be counted."""
    seen: set[str] = set()
    counted = 0
    for seed in range(400):
        fuzzed = file_for_seed(ALL_SOURCES[seed % len(ALL_SOURCES)], seed)
        seen.update(fuzzed.labels)
        counted += count_rows(fuzzed) is not None
    assert {*TABLE_MUTATIONS, *BYTE_MUTATIONS, "utf-16", "cp1252"} - seen == set()
    assert seen & set(WHOLE_FILES)
    assert 150 < counted < 400


def test_the_same_seed_gives_the_same_file() -> None:
    assert file_for_seed("fire", 7) == file_for_seed("fire", 7)
    assert file_for_seed("fire", 7).data != file_for_seed("fire", 8).data

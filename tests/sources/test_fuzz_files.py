"""Malformed files for every source (issue 11, item 10): each is refused whole, naming the file, with the
warehouse untouched, or loads with every row it holds read and each one loaded, quarantined or skipped as a
duplicate; nothing else (no other exception) ever happens.

The files come from `fuzzfiles.py`, shared with `benchmarks/fuzz.py` (which runs a thousand and more; see
docs/performance.md, "Fuzzing"). VRHUB_FUZZ_EXAMPLES sets how many files each source gets here (else the
Hypothesis profile: 4 in the default, 40 in "thorough").
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from tests.conftest import examples
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

EXAMPLES = int(os.environ.get("VRHUB_FUZZ_EXAMPLES", examples(4)))  # 40 with --hypothesis-profile=thorough
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


# -- what the fuzzing found ----------------------------------------------------------------------------------

FIRE_HEADER = "incident_ref,incident_date,incident_type,lsoa_code"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["rowid", "RowID", "__seq", "__blank", "__raw_1"])
def test_a_column_named_like_the_stagings_own_is_read_as_any_other(
    hub: Hub, tmp_path: Path, name: str
) -> None:
    """A "RowID" column (as exports from Access or SQLite carry) hid DuckDB's rowid, which numbers the rows
    read: the load stopped with a DuckDB Binder Error; `__seq` and `__blank` did the same once a row was
    quarantined."""
    path = tmp_path / "fire.csv"
    path.write_text(
        f"incident_ref,{name},incident_date,incident_type,lsoa_code\n"
        "FIRE-1,7,2019-03-02,deliberate_primary,E01006412\n"
        "\n"
        "FIRE-2,8,2019-03-32,deliberate_primary,E01006412\n"
        "FIRE-3,9,2019-03-02,deliberate_primary,E01006412,extra\n"
    )
    [summary] = hub.ingest("fire", [path])
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined) == (3, 1, 2)
    assert [(r["row_number"], r["field"]) for r in hub.quarantine("fire.csv").to_pylist()] == [
        (4, "incident_date"),
        (5, "(whole row)"),
    ]


def test_a_utf8_file_with_a_byte_order_mark_cut_mid_character_at_64_kb_loads(
    hub: Hub, tmp_path: Path
) -> None:
    """vrhub decodes the first 64 KB to read the header, up to the character cut in two at the end. With a
    byte-order mark the decoder's positions count from after it, so the chunk was cut three bytes short,
    here in the middle of an earlier 'é', and the load stopped with a UnicodeDecodeError."""
    rows = [f"FIRE-{n:05d},2019-03-02,deliberate_primary,E01006412" for n in range(1, 1200)]
    text = "\ufeff" + "\n".join([FIRE_HEADER, *rows]) + "\nFIRE-"
    text += "x" * ((1 << 16) - 5 - len(text.encode()))
    text += "\u00e9xx\u00e9,2019-03-02,deliberate_primary,E01006412\n"  # bytes 65531-2 and 65535-6
    path = tmp_path / "fire.csv"
    path.write_bytes(text.encode())
    assert path.read_bytes()[(1 << 16) - 5 : (1 << 16) + 1] == "\u00e9xx\u00e9".encode()
    [summary] = hub.ingest("fire", [path])
    assert (summary.rows_read, summary.rows_loaded) == (1200, 1200)


POLICE_HEADER = (
    "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,"
    "person_role,person_ref,age,sex"
)


@pytest.mark.slow
def test_an_identifier_copied_to_a_column_vrhub_does_not_know_is_hashed_there_too(
    hub: Hub, tmp_path: Path
) -> None:
    # (The same column named twice, `CRIME_REF` beside `crime_ref`, is refused: test_reading_qa16.py.)
    path = tmp_path / "police.csv"
    row = (
        "MP/19/77700{n},2019-03-02,2019-03-{day},8N,Y,N,N,E01006412,victim,PERS-777{n},19,M,"
        "MP/19/77700{n},PERS-777{n}"
    )
    path.write_text(
        f"{POLICE_HEADER},Crime Ref Copy,Person Ref 2\n"
        + row.format(n=1, day="01")
        + "\n"
        + row.format(n=2, day="41")
        + "\n"  # a bad date: quarantined with its raw row
        + row.format(n=3, day="01")
        + ",x\n"  # a field too many: quarantined as the line
    )
    [summary] = hub.ingest("police-records", [path])
    assert (summary.rows_loaded, summary.rows_quarantined) == (1, 2)
    raw = " ".join(r["raw_row"] for r in hub.quarantine("police.csv").to_pylist())
    assert "MP/19/7770" not in raw and "PERS-777" not in raw, raw

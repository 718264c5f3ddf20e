"""Quality: measured pairwise precision, recall and F1 against a truth file, the model's own estimates, and a
clerical review sample written only where asked, owner-only, and audited."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from vrhub.hub import Hub
from vrhub.linkage.quality import _histogram, measured
from vrhub.linkage.vault import Vault
from vrhub.pseudonymise import Pseudonymiser
from vrhub.synth.people import AGENCIES
from vrhub.warehouse.tables import SCHEMAS

KEY = Pseudonymiser(b"test-pseudonym-key-not-for-real-use")


def test_measured_figures_count_pairs_of_records(hub: Hub, tmp_path: Path) -> None:
    # Found: {r1, r2, r3}, {r4}, {r5}: 3 pairs. True: {r1, r2}, {r3, r4, r5}: 4 pairs. Both: r1-r2 only.
    found = {"r1": "p1", "r2": "p1", "r3": "p1", "r4": "p4", "r5": "p5"}
    rows = [
        {
            "agency": "A",
            "record_key": KEY(ref),
            "source": None,
            "source_key": None,
            "person_id": person,
            "run_id": 1,
            "load_id": 1,
            "file_name": "f.csv",
            "row_number": i + 2,
        }
        for i, (ref, person) in enumerate(found.items())
    ]
    truth = tmp_path / "truth.csv"
    truth.write_text("record_ref,cluster\nr1,a\nr2,a\nr3,b\nr4,b\nr5,b\nr6,c\n")
    with hub.open() as wh:
        wh.insert("person_links", pa.Table.from_pylist(rows, schema=SCHEMAS["person_links"].to_pyarrow()))
        got = measured(wh, KEY, truth)
    assert got["records_in_truth"] == 6 and got["records_linked"] == 5
    assert (got["linked_pairs"], got["true_pairs"], got["correct_pairs"]) == (3, 4, 1)
    assert got["precision"] == round(1 / 3, 4) and got["recall"] == 0.25
    assert got["f1"] == round(2 / 7, 4)


@pytest.mark.slow
def test_a_run_is_measured_estimated_and_sampled_for_review(
    hub: Hub, population: dict[str, Path], tmp_path: Path
) -> None:
    for agency in AGENCIES:
        list(hub.ingest_people([population[agency]], agency=agency))
    hub.link()
    out = tmp_path / "review" / "sample.csv"
    quality = hub.link_quality(truth=population["truth"], review_sample=out)
    assert quality.measured is not None
    assert quality.measured["precision"] >= 0.95 and quality.measured["recall"] >= 0.9
    assert 0.9 <= quality.estimated["precision"] <= 1 and 0 < quality.estimated["recall"] <= 1
    assert sum(b["pairs"] for b in quality.match_weights) == quality.estimated["pairs_scored"]
    assert quality.people["records"] == sum(1 for _ in population["truth"].open()) - 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == quality.review_sample["pairs"] > 0
    assert rows[0]["surname_l"] and rows[0]["same_person"] == ""
    with Vault.open(hub.settings.data_dir) as vault:
        exported = vault.audit_events()[-1]
    assert exported["action"] == "review-sample" and exported["detail"]["file"] == str(out)


def test_the_band_holding_the_threshold_is_split_at_it() -> None:
    # Threshold 0.95: a match weight of log2(19) = 4.25. Pairs at 3.5, 4.1, 4.3, 4.9, 5.0 and -0.5.
    bands = _histogram(np.array([3.5, 4.1, 4.3, 4.9, 5.0, -0.5]), 0.95)
    assert [(b["match_weight_from"], b["match_weight_to"], b["pairs"], b["linked"]) for b in bands] == [
        (-1, 0, 1, False),
        (3, 4, 1, False),
        (4, 4.25, 1, False),
        (4.25, 5, 2, True),
        (5, 6, 1, True),
    ]

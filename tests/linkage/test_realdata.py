"""Linkage on real labelled data (../shared/realdata/linkage: splink's fake_1000 and 50,000 historical figures
with errors), through vrhub's whole path: the people source, the vault, a run, quality against the truth.

Both files are linked with the same settings (vrhub's, untouched, none read from either file's truth).
Precision reaches 0.95 on both; recall does not (docs/linkage.md, "What the figures mean"): these files were
made to be hard (fake_1000 has no postcode and its dates of birth differ within a person more often than
not; it is linked here without its email column, which the people source does not have), and a record that
shares no exact value with the rest of its person is never compared with them. Splink's own documented
settings for the historical figures, with columns vrhub does not have (occupation), reach precision 0.93 and
recall 0.75 there by the same measure. The recall floors below are what the settings reach today (a little
under, for the run-to-run wobble of training): a change that lowers them fails here."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from vrhub.hub import Hub

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def _link(hub: Hub, people: pd.DataFrame, truth: pd.DataFrame, folder: Path) -> dict:
    people.to_csv(folder / "people.csv", index=False)
    truth.to_csv(folder / "truth.csv", index=False)
    list(hub.ingest_people([folder / "people.csv"], agency="test"))
    hub.link()
    quality = hub.link_quality(truth=folder / "truth.csv")
    assert quality.measured is not None and quality.measured["records_linked"] == len(people)
    return quality.measured


def test_fake_1000(hub: Hub, realdata: Path, tmp_path: Path) -> None:
    f = pd.read_csv(realdata / "linkage" / "fake_1000.csv", dtype=str)
    people = pd.DataFrame(
        {
            "record_ref": f.unique_id,
            "forename": f.first_name,
            "surname": f.surname,
            "date_of_birth": f.dob,
            "address": f.city,
        }
    )
    got = _link(hub, people, pd.DataFrame({"record_ref": f.unique_id, "cluster": f.cluster}), tmp_path)
    assert got["precision"] >= 0.95
    assert got["recall"] >= 0.65


def test_historical_figures_50k(hub: Hub, realdata: Path, tmp_path: Path) -> None:
    d = pd.read_parquet(realdata / "linkage" / "historical_figures_with_errors_50k.parquet")
    people = pd.DataFrame(
        {
            "record_ref": d.unique_id,
            "forename": d.first_name,
            "surname": d.surname,
            "date_of_birth": d.dob,
            "sex": d.gender,
            "postcode": d.postcode_fake,
            "address": d.birth_place,
        }
    )
    got = _link(hub, people, pd.DataFrame({"record_ref": d.unique_id, "cluster": d.cluster}), tmp_path)
    assert got["precision"] >= 0.95
    assert got["recall"] >= 0.84

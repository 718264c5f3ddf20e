"""Linkage on real labelled data (../shared/realdata/linkage: splink's fake_1000 and 50,000 historical figures
with errors), through vrhub's whole path: the people source, the vault, a run, quality against the truth.

Both files are linked with the same settings (vrhub's, untouched, none read from either file's truth).
fake_1000 with its email column reaches precision and recall 0.95 (without it, recall 0.77: it has no
postcode and its dates of birth differ within a person more often than not). The historical figures reach
precision 0.95 and recall 0.91, not 0.95 (docs/linkage.md, "On real labelled data"): most of the records
left apart from their person share at most one value with it (a birthplace, a forename), which no rule
or level can tell from chance. A classifier trained on that file's own truth, over vrhub's candidate
pairs and comparison levels, reaches 0.94 of each together and recall 0.932 at precision 0.95
(benchmarks/linkage_ceiling.py): the issue's 0.95 sits above what the records can tell. Splink's own
documented settings for the historical figures, with columns vrhub does not have (occupation), reach
precision 0.93 and recall 0.75 there by the same measure. The floors below are what the settings reach
today (a little under where it is not the issue's 0.95): a change that lowers them fails here."""

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


@pytest.mark.parametrize(("email", "recall"), [(True, 0.95), (False, 0.76)])
def test_fake_1000(hub: Hub, realdata: Path, tmp_path: Path, email: bool, recall: float) -> None:
    f = pd.read_csv(realdata / "linkage" / "fake_1000.csv", dtype=str)
    people = pd.DataFrame(
        {
            "record_ref": f.unique_id,
            "forename": f.first_name,
            "surname": f.surname,
            "date_of_birth": f.dob,
            "address": f.city,
            "email": f.email if email else None,
        }
    )
    got = _link(hub, people, pd.DataFrame({"record_ref": f.unique_id, "cluster": f.cluster}), tmp_path)
    assert got["precision"] >= 0.95
    assert got["recall"] >= recall


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
    assert got["recall"] >= 0.90

"""The national codes vrhub ships (src/vrhub/sources/data/ed_codes.csv): ECDS injury mechanism concepts load
as the words they mean and the measures count them so (a stab wound, which does not say knife or other
sharp object, among knives or sharp objects but never as a knife alone); a code left out of the file is
quarantined, the reason naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from vrhub.hub import Hub
from vrhub.measures import MeasureRequest
from vrhub.sources import ed_attendances

# SNOMED CT concepts of the ECDS injury mechanism refset, each beside the word its term means.
PUNCH, KICK, BLUNT, GUNSHOT = "242890000", "242892008", "219236005", "283545005"
STAB_WOUND = "425322008"  # a knife or another sharp object, not said which
GLASS = "426058000"  # Penetrating injury by glass: in the refset, deliberately not in ed_codes.csv
FILE = f"""site_code,assault_datetime,assault_method,location_type,age
RBN01,2019-03-02 00:40,{PUNCH},street,19
RBN01,2019-03-03 00:40,{KICK},home,30
RBN01,2019-04-04 00:40, {BLUNT} ,street,22
RBN01,2019-05-05 00:40,{GUNSHOT},street,17
RBN01,2019-06-06 00:40,knife,street,18
RBN01,2019-06-07 00:40,other_sharp,street,40
RBN01,2019-07-08 00:40,{STAB_WOUND},street,20
RBN01,2019-07-09 00:40,{GLASS},street,21
"""
# The loaded rows, in date order.
WORDS = ("fists", "feet", "blunt_object", "firearm", "knife", "other_sharp", "sharp_unspecified")


def test_the_shipped_file_maps_the_ecds_mechanism_concepts_to_their_words() -> None:
    codes = dict({c.name: c for c in ed_attendances.SPEC.columns}["assault_method"].codes)
    assert {code: codes.get(code) for code in (PUNCH, KICK, BLUNT, GUNSHOT, STAB_WOUND, GLASS)} == {
        PUNCH: "fists",
        KICK: "feet",
        BLUNT: "blunt_object",
        GUNSHOT: "firearm",
        STAB_WOUND: "sharp_unspecified",
        GLASS: None,
    }


def test_every_shipped_code_is_listed_once_with_its_scheme_and_term() -> None:
    text = (Path(ed_attendances.__file__).parent / "data" / "ed_codes.csv").read_text("utf-8")
    rows = [line.split(",") for line in text.splitlines() if line and not line.startswith("#")][1:]
    assert rows, "the shipped codes file lists no code"
    keys = [(field, code) for field, code, *_ in rows]
    assert len(keys) == len(set(keys)), "a code listed twice could mean two words"
    for field, code, _word, scheme, label in rows:
        assert scheme in {"ecds", "istv"}, (field, code, scheme)
        assert scheme != "ecds" or code.isdigit(), f"{code} is not a SNOMED CT concept id"
        assert label.strip(), f"{code} has no term: the term is what shows the code was checked"


@pytest.mark.slow
def test_coded_rows_load_as_words_and_a_code_left_out_is_quarantined(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "ecds.csv"
    path.write_text(FILE, encoding="utf-8")
    (summary,) = hub.ingest("ed-attendances", [path])
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined) == (8, 7, 1)
    rows = hub.sql("SELECT assault_method FROM ed_attendances ORDER BY assault_at", 10).to_pylist()
    assert [r["assault_method"] for r in rows] == list(WORDS)
    (held,) = hub.quarantine("ecds.csv").to_pylist()
    assert (held["row_number"], held["field"], held["value"]) == (9, "assault_method", GLASS)
    assert held["reason"].endswith(", nor a code listed in vrhub/sources/data/ed_codes.csv")


@pytest.mark.slow
def test_the_measures_count_coded_attendances_by_their_words(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "ecds.csv"
    path.write_text(FILE, encoding="utf-8")
    list(hub.ingest("ed-attendances", [path]))
    ids = [
        "ed_assault_attendances",
        "ho_knife_admissions",
        "ho_knife_admissions_u25",
        "ho_knife_only_admissions_u25",
    ]
    table = hub.measures(MeasureRequest(measures=ids, period="year")).table.to_pandas()
    force = table[(table["area_code"] == "E23000004") & (table["period"] == "2019")].set_index("measure_id")
    # Seven attendances loaded (five coded, two in words; the glass injury is quarantined). The knife, the
    # other sharp object and the stab wound are sharp-object attendances: no code read as fists, feet, a
    # blunt object or a firearm counts there. Under 25 they are the 18- and the 20-year-old's; knife only,
    # the 18-year-old's alone (the stab wound does not say knife).
    assert force.loc["ed_assault_attendances", "value"] == 7
    assert force.loc["ho_knife_admissions", "value"] == 3
    assert force.loc["ho_knife_admissions_u25", "value"] == 2
    assert force.loc["ho_knife_only_admissions_u25", "value"] == 1
    split = hub.measures(MeasureRequest(measures=["ed_weapon_change_2021"], period="year")).table.to_pandas()
    split = split[(split["area_code"] == "E23000004") & (split["period"] == "2019")]
    assert dict(zip(split["breakdown"], split["value"], strict=True)) == {
        f"assault_method={w}": 1 for w in WORDS
    }

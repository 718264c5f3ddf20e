"""ED files may send national codes for assault method and location type instead of vrhub's words: each
code is stored as the word it means, and a value that is neither quarantines its row, the reason naming the
codes file. The codes here are made up for the test (T01...): the mechanism, not the national lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from vrhub.errors import DefinitionError
from vrhub.hub import Hub
from vrhub.sources import SOURCES, ed_attendances

CODES = """# made-up codes for the test
field,code,word,scheme,label
assault_method,T01,knife,test,Knife
assault_method,T02,other_sharp,test,Other sharp object
location_type,100,street,test,Street
location_type,200,licensed_premises,test,Pub or club
"""
FILE = """site_code,assault_datetime,assault_method,location_type
RBN01,2019-03-02 00:40,T01,100
RBN01,2019-03-03 00:40,t02,Licensed Premises
RBN01,2019-03-04 00:40,knife,200
RBN01,2019-03-05 00:40,Z99,street
RBN01,2019-03-06 00:40,fists,999
"""


@pytest.fixture
def coded(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = ed_attendances.with_codes(ed_attendances.SPEC, CODES, "test-codes.csv")
    monkeypatch.setitem(SOURCES, "ed-attendances", spec)


@pytest.mark.slow
def test_codes_load_as_words_and_an_unknown_code_is_quarantined_naming_the_file(
    hub: Hub, coded: None, tmp_path: Path
) -> None:
    path = tmp_path / "coded.csv"
    path.write_text(FILE, encoding="utf-8")
    (summary,) = hub.ingest("ed-attendances", [path])
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined) == (5, 3, 2)
    rows = hub.sql("SELECT assault_method, location_type FROM ed_attendances ORDER BY assault_at", 10)
    assert rows.to_pylist() == [
        {"assault_method": "knife", "location_type": "street"},  # T01, 100
        {"assault_method": "other_sharp", "location_type": "licensed_premises"},  # t02 (any case), a word
        {"assault_method": "knife", "location_type": "licensed_premises"},  # a word, 200
    ]
    held = hub.quarantine("coded.csv").to_pylist()
    found = {(h["file_name"], h["row_number"], h["field"], h["value"]) for h in held}
    assert found == {("coded.csv", 5, "assault_method", "Z99"), ("coded.csv", 6, "location_type", "999")}
    assert all(h["reason"].endswith(", nor a code listed in test-codes.csv") for h in held)
    assert all("not one of the allowed values (" in h["reason"] for h in held)


def test_a_codes_file_row_with_a_word_vrhub_lacks_is_refused_naming_its_line() -> None:
    text = CODES + "assault_method,T09,sword,test,Sword\n"
    with pytest.raises(DefinitionError) as refused:
        ed_attendances.load_codes(text, "my-codes.csv")
    assert refused.value.message.startswith("my-codes.csv, line 7: field 'assault_method', code 'T09'")
    with pytest.raises(DefinitionError, match="line 3: code 'knife' is a vrhub word"):
        ed_attendances.load_codes("# c\nfield,code,word,scheme,label\nassault_method,knife,knife,x,y\n", "f")


def test_the_shipped_codes_file_is_read_and_named() -> None:
    columns = {c.name: c for c in ed_attendances.SPEC.columns}
    for name in ("assault_method", "location_type"):
        assert columns[name].codes_from == "vrhub/sources/data/ed_codes.csv"
    words = {w for c in ("assault_method", "location_type") for _, w in columns[c].codes}
    assert words <= set(ed_attendances.ASSAULT_METHODS) | set(ed_attendances.LOCATION_TYPES)

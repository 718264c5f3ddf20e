"""The report `vrhub demo` wrote, as a reader meets it: key messages first, measure and borough names (never
ids or codes), every hot spot listed, one way of writing p and numbers with thousands separators."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from vrhub.measures import load_catalogue

pytestmark = pytest.mark.slow  # the demo's report (`vrhub demo` once per test run)


@pytest.fixture(scope="module")
def report(_demo_run: Path) -> str:
    return (_demo_run / "reports" / "vrhub-report-partner.html").read_text()


def _cells(text: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", text, re.S)
    ]


def test_the_first_page_gives_the_key_messages(report: str) -> None:
    messages = report.split('id="key-messages"', 1)[1].split("</section>", 1)[0]
    assert report.index('id="key-messages"') < report.index('id="summary"')
    sentences = [p for p in re.findall(r"<p>(.*?)</p>", messages, re.S) if not p.startswith("<small>")]
    assert 2 <= len(sentences) <= 4  # at most three changes, then the count
    titles = {m.title for m in load_catalogue().measures.values()}
    # Each written change names its measure and says how far it moved on the baseline and how sure that is.
    for sentence in map(html.unescape, sentences[:-1]):
        assert any(sentence.startswith(t + " ") for t in titles), sentence
        assert "the 2019 baseline" in sentence and ("p < 0.001" in sentence or "p = 0.0" in sentence)
    assert "compared with their baseline" in html.unescape(sentences[-1])
    assert "Counts under 10 are not read as a trend" in messages


def test_measure_names_and_borough_names_not_ids_or_codes(report: str) -> None:
    ids = set(load_catalogue().measures)
    cells = _cells(report)
    assert not ids & set(cells)
    assert "<code>local_sv_offences</code>" not in report
    assert not re.search(r"<td>E0[6-9]\d{6}</td>", report)  # borough codes as cells


def test_every_hot_spot_is_listed(report: str) -> None:
    said = re.search(r"<p>([\d,]+) of ([\d,]+) LSOAs are hot spots", report)
    assert said is not None
    table = report.split('id="hotspot-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>", table)
    assert len(rows) == int(said.group(1).replace(",", ""))
    boroughs = {"Knowsley", "Liverpool", "Sefton", "St Helens", "Wirral"}
    assert {
        re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td>", table)
    } <= boroughs


def test_p_values_are_written_one_way(report: str) -> None:
    text = html.unescape(report)
    written = re.findall(r"\bp ?[=<] ?\d?\.\d+", text)
    assert written
    # wording.format_p: two places, three only below 0.01. p < 0.01 and p < 0.05 are also the hot-spot
    # map's bands (FDR thresholds, not results).
    assert all(re.fullmatch(r"p (= (0\.00[1-9]|\d\.\d\d)|< 0\.0(01|1|5))", p) for p in written), set(written)

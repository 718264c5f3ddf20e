"""The synthetic demo data reproduce the Merseyside VRP strategy's published figures.

Counts are made independently of vrhub's own measures: DuckDB SQL straight off the generated CSVs, with the
offence groups and the appendix definition written out in conftest.py.
"""

from __future__ import annotations

import csv
import re
from importlib import resources

import pytest

from vrhub.synth import generate_demo

DATA = resources.files("vrhub") / "data"
FIGURES = list(csv.DictReader((DATA / "strategy_figures.csv").read_text("utf-8").splitlines()))
BOROUGHS = {
    "Knowsley": "E08000011",
    "Liverpool": "E08000012",
    "St Helens": "E08000013",
    "Sefton": "E08000014",
    "Wirral": "E08000015",
}
# published changes that the strategy's own figures contradict: the counts are kept, the change cannot hold
CONTRADICTIONS = {("local_sv_offences", "2021"), ("ambulance_assault_callouts", "2021")}


def _by_year(con, sql: str) -> dict[str, float]:
    return {str(y): v for y, v in con.execute(sql).fetchall()}


_HOMICIDE = "offence_code IN ('1', '4.1', '4.2', '4.10') AND domestic_flag = 'N'"
_YOUNG_VICTIM = "person_role = 'victim' AND a < 25"
_KNIFE = "assault_method IN ('knife', 'other_sharp')"


def _crimes(where: str) -> str:  # distinct police crimes by year of the committed date
    return f"SELECT yr, count(DISTINCT crime_ref) FROM p WHERE {where} GROUP BY 1"


def _rows(table: str, year: str, where: str = "true") -> str:  # records by year
    return f"SELECT year(CAST({year} AS TIMESTAMP)), count(*) FROM {table} WHERE {where} GROUP BY 1"


MEASURES = {
    "local_sv_offences": _crimes("sv"),  # the three offence groups Table 2 counted
    "local_knife_sv": _crimes("offence_code = '10D'"),  # every 10D, whatever its flags
    "ho_knife_sv": _crimes("offence_code = '10D'"),
    "ho_knife_sv_suspect_u25": _crimes("offence_code = '10D' AND person_role = 'suspect' AND a < 25"),
    "ho_knife_sv_victim_u25": _crimes(f"offence_code = '10D' AND {_YOUNG_VICTIM}"),
    "local_knife_victims_u25": _rows("p", "committed_date", f"offence_code = '10D' AND {_YOUNG_VICTIM}"),
    "local_sv_victims_u25": _rows("p", "committed_date", f"sv AND {_YOUNG_VICTIM}"),
    "ho_non_domestic_homicide": _crimes(_HOMICIDE),
    "ho_non_domestic_knife_homicide_u25": _crimes(f"{_HOMICIDE} AND knife_flag = 'Y' AND {_YOUNG_VICTIM}"),
    "ed_assault_attendances": _rows("e", "assault_datetime"),
    "ho_knife_admissions": _rows("e", "assault_datetime", _KNIFE),
    "ho_knife_admissions_u25": _rows("e", "assault_datetime", f"{_KNIFE} AND a < 25"),
    "ho_knife_only_admissions_u25": _rows("e", "assault_datetime", "assault_method = 'knife' AND a < 25"),
    "ambulance_assault_callouts": _rows("amb", "call_datetime"),
    "ho_ambulance_u25": _rows("amb", "call_datetime", "CAST(age AS INTEGER) < 25"),
    "fire_callouts": _rows("fire", "incident_date"),
}
_FIGURES_WITH_VALUE = [f for f in FIGURES if f["value"]]
_CHANGES = [f for f in FIGURES if re.match(r"^[+-]\d+%", f["stated_change"])]


def _figure_id(f: dict) -> str:
    return f"{f['measure_id']}-{f['period']}"


def _value(db, measure: str, period: str) -> float:
    if measure in MEASURES:
        return _by_year(db, MEASURES[measure]).get(period, 0)
    rows = db.execute(
        "SELECT CAST(value AS DOUBLE) FROM ind WHERE indicator_id = ? AND area_code = 'E23000004' "
        "AND period = ?",
        [measure, period],
    ).fetchall()
    assert len(rows) == 1, f"{measure} {period}: {rows}"
    return rows[0][0]


@pytest.mark.parametrize("figure", _FIGURES_WITH_VALUE, ids=_figure_id)
def test_published_figure(db, figure):
    assert _value(db, figure["measure_id"], figure["period"]) == pytest.approx(float(figure["value"]))


@pytest.mark.parametrize("figure", _CHANGES, ids=_figure_id)
def test_stated_change(db, figure):
    m = re.match(r"^([+-]\d+)%(?: vs (\d{4}))?", figure["stated_change"])
    stated, period = int(m.group(1)), figure["period"]
    before = m.group(2) or str(int(period) - 1)  # "vs 2018" means April-December 2018
    new, old = _value(db, figure["measure_id"], period), _value(db, figure["measure_id"], before)
    change = round(100 * (new / old - 1))
    if (figure["measure_id"], period) in CONTRADICTIONS:
        assert change != stated  # the strategy's figures disagree; the counts win
    else:
        assert change == stated, f"{new} vs {old}"


def test_knife_only_2019_implied(db):
    assert _value(db, "ho_knife_only_admissions_u25", "2019") == 75


def test_knife_victim_crimes_have_one_young_victim(db):
    rows = db.execute(
        "SELECT yr, count(*) FROM (SELECT yr, crime_ref, count(*) n FROM p WHERE offence_code = '10D' "
        "AND person_role = 'victim' AND a < 25 GROUP BY ALL) WHERE n > 1 GROUP BY 1"
    ).fetchall()
    assert rows == []
    assert _by_year(db, MEASURES["local_knife_victims_u25"])["2018"] == 11


def _notes(measure: str) -> dict[str, int]:
    note = next(f["note"] for f in FIGURES if f["measure_id"] == measure and f["note"])
    return {k.strip(): int(v) for k, v in re.findall(r"([A-Za-z][A-Za-z ]*?) ([+-]\d+)%", note)}


@pytest.mark.parametrize(
    ("measure", "sql"),
    [
        (
            "ed_assault_attendances",
            "SELECT yr, coalesce(l1.lad_code, l2.lad_code) AS lad, count(*) FROM e "
            "LEFT JOIN lsoa l1 ON l1.lsoa_code = e.incident_lsoa "
            "LEFT JOIN lsoa l2 ON l2.lsoa_code = e.home_lsoa "
            "GROUP BY ALL",
        ),
        (
            "fire_callouts",
            "SELECT year(CAST(incident_date AS DATE)), lad_code, count(*) FROM fire "
            "JOIN lsoa USING (lsoa_code) GROUP BY ALL",
        ),
    ],
)
def test_borough_changes(db, measure, sql):
    counts = {(str(y), lad): n for y, lad, n in db.execute(sql).fetchall()}
    changes = _notes(measure)
    assert len(changes) == 5
    for name, stated in changes.items():
        lad = BOROUGHS[name]
        assert round(100 * (counts[("2021", lad)] / counts[("2020", lad)] - 1)) == stated, name


def test_ed_weapons(db):
    counts = {
        (str(y), m): n
        for y, m, n in db.execute("SELECT yr, assault_method, count(*) FROM e GROUP BY ALL").fetchall()
    }
    total = sum(n for (y, _), n in counts.items() if y == "2020")
    shares = {"fists": 27, "body_parts": 25, "not_specified": 12, "knife": 4, "other_sharp": 4}
    for method, share in shares.items():
        assert round(100 * counts[("2020", method)] / total) == share, method
    changes = {"fists": -33, "body_parts": -36, "knife": -18, "other_sharp": -82, "not_specified": 191}
    for method, change in changes.items():
        assert round(100 * (counts[("2021", method)] / counts[("2020", method)] - 1)) == change, method
    assert 0 < counts[("2020", "firearm")] < 20


def test_police_group_changes(db):
    counts = {
        (str(y), g): n
        for y, g, n in db.execute("SELECT yr, grp, count(DISTINCT crime_ref) FROM p GROUP BY ALL").fetchall()
    }
    assert None not in {g for _, g in counts}

    def change(group):
        return 100 * (counts[("2021", group)] / counts[("2020", group)] - 1)

    assert round(change("miscellaneous-crimes-against-society")) == 6
    assert round(change("possession-of-weapons-offences")) == -7
    # The three groups are Table 2's total, so VAP's change is pinned by 40,490 / 39,386 (+2.8%) and the
    # other two: the published +17% cannot hold beside the published totals (see targets.py).
    groups = ("violence-against-the-person", "possession-of-weapons-offences",
              "miscellaneous-crimes-against-society")  # fmt: skip
    assert sum(counts[("2021", g)] for g in groups) == 40490
    assert 2 < change("violence-against-the-person") < 4
    assert counts[("2021", "sexual-offences")] == 9
    assert all(("20" + y, "sexual-offences") not in counts for y in ("18", "19", "20"))
    assert {g for _, g in counts} == {
        "violence-against-the-person",
        "possession-of-weapons-offences",
        "miscellaneous-crimes-against-society",
        "sexual-offences",
        "robbery",
        "criminal-damage-and-arson",
        "public-order-offences",
    }


def test_exclusions_boroughs_sum(db):
    rows = db.execute(
        "SELECT sum(CAST(value AS DOUBLE)) FROM ind WHERE indicator_id = 'local_permanent_exclusions' "
        "AND area_code LIKE 'E08%'"
    ).fetchall()
    assert rows[0][0] == 195


@pytest.mark.slow
def test_deterministic(demo, tmp_path):
    again = generate_demo(tmp_path / "again")
    for name, path in demo.items():
        assert path.read_bytes() == again[name].read_bytes(), name
    other = generate_demo(tmp_path / "other", seed=7)
    assert other["police-records"].read_bytes() != demo["police-records"].read_bytes()

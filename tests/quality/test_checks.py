"""Each check finds the defect planted for it, and a clean series raises nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from tests.quality import factory
from vrhub.errors import UnknownSource
from vrhub.hub import Hub
from vrhub.quality import FINDING_COLUMNS, SEVERITIES, QualityReport, check_quality

LATER_2020 = [m for m in factory.MONTHS if m >= "2020-07"]


def load(hub: Hub, source: str, path: Path) -> None:
    for _summary in hub.ingest(source, [path]):
        pass


# The factory's series end in 2020-12: checked as of the next month, so only planted defects are found
# (test_coverage.py checks timeliness against other dates).
AS_OF = dt.date(2021, 1, 15)


def check(hub: Hub, source: str | None = None) -> QualityReport:
    with hub.open(read_only=True) as wh:
        return check_quality(wh, source, today=AS_OF)


def found(report: QualityReport, check: str, **equal: object) -> pd.DataFrame:
    f = report.findings
    keep = f["check"] == check
    for column, value in equal.items():
        keep &= f[column] == value
    return f[keep]


def alarms(report: QualityReport) -> pd.DataFrame:
    return report.findings[report.findings["severity"].isin(["error", "warning"])]


@pytest.mark.slow
def test_a_clean_series_of_every_source_raises_no_warning(hub: Hub, tmp_path: Path) -> None:
    for source, write in factory.CLEAN.items():
        load(hub, source, write(tmp_path / f"{source}.csv"))
    report = check(hub)
    assert alarms(report).empty, alarms(report)["message"].tolist()
    assert list(report.findings.columns) == FINDING_COLUMNS
    c = report.completeness
    assert set(c["source"]) == set(factory.CLEAN)
    ed = c[(c["source"] == "ed-attendances") & (c["field"] == "assault_method")]
    assert len(ed) == 24 and (ed["share"] == 1).all() and (ed["rows"] == 80).all()
    # Crime IDs are blank on anti-social behaviour by design: measured on the other crimes, they are complete.
    ids = c[(c["source"] == "police-uk") & (c["field"] == "crime_id")]
    assert (ids["share"] == 1).all() and (ids["rows"] < 80).all()


@pytest.mark.slow
def test_a_month_missing_in_the_middle_is_an_error(hub: Hub, tmp_path: Path) -> None:
    months = [m for m in factory.MONTHS if m != "2020-06"]
    load(hub, "ed-attendances", factory.ed_file(tmp_path / "ed.csv", months=months))
    report = check(hub)
    [row] = found(report, "missing_month").to_dict("records")
    assert (row["source"], row["month"], row["severity"], row["expected"]) == (
        "ed-attendances",
        "2020-06",
        "error",
        80,
    )
    assert row["message"].startswith(
        "No ED attendances in 2020-06, between the first month (2019-01) and the last"
    )
    assert "late or missing data" in row["message"]
    assert "(about 80 in a usual month)" in row["message"]
    assert report.findings["severity"].iloc[0] == "error"


@pytest.mark.slow
def test_a_month_with_a_third_of_the_usual_count_is_late_or_missing(hub: Hub, tmp_path: Path) -> None:
    load(hub, "ed-attendances", factory.ed_file(tmp_path / "ed.csv", counts={"2020-09": 27}))
    report = check(hub)
    [row] = found(report, "low_count").to_dict("records")
    assert (row["month"], row["value"], row["expected"], row["severity"]) == ("2020-09", 27, 80, "warning")
    assert (
        "Only 27 ED attendances in 2020-09: 34% of the median of the previous 12 months (80)"
        in row["message"]
    )
    assert len(alarms(report)) == 1


@pytest.mark.slow
def test_the_first_month_is_compared_with_the_months_after_it(hub: Hub, tmp_path: Path) -> None:
    load(hub, "ed-attendances", factory.ed_file(tmp_path / "ed.csv", counts={"2019-01": 20}))
    [row] = found(check(hub), "low_count").to_dict("records")
    assert row["month"] == "2019-01" and "median of the next 12 months (80)" in row["message"]


@pytest.mark.slow
def test_a_jump_in_ed_not_specified_is_category_drift(hub: Hub, tmp_path: Path) -> None:
    jump = {m: 0.4 for m in LATER_2020}
    load(hub, "ed-attendances", factory.ed_file(tmp_path / "ed.csv", not_specified=jump))
    report = check(hub)
    drift = found(report, "category_drift")
    # The other methods' shares are taken among specified methods, so they do not move with it.
    assert (
        set(drift["field"]) == {"assault_method"} and drift["message"].str.contains("'not specified'").all()
    )
    year = drift[drift["month"] == "2020"].iloc[0]
    assert year["severity"] == "warning" and year["value"] > 0.2 and year["expected"] < 0.15
    assert year["message"].startswith("ED assault method 'not specified' rose from ")
    assert (
        "of attendances in 2019 to" in year["message"]
        and "in 2020: beyond chance (p < 0.001)" in year["message"]
    )
    assert year["message"].endswith("likely a recording change, not a real change.")
    month = drift[drift["month"] == "2020-07"].iloc[0]
    assert "jumped to" in month["message"] and "in the previous 12 months and" in month["message"]
    assert "; it stayed well above" in month["message"] and "through 2020-12 (6 months)" in month["message"]
    assert len(drift) == 2 and len(alarms(report)) == 2


@pytest.mark.slow
def test_a_column_half_empty_in_one_month(hub: Hub, tmp_path: Path) -> None:
    load(hub, "ed-attendances", factory.ed_file(tmp_path / "ed.csv", age_blank={"2020-03": 0.5}))
    report = check(hub)
    [row] = found(report, "completeness").to_dict("records")
    assert (row["month"], row["field"], row["severity"], row["expected"]) == (
        "2020-03",
        "age",
        "warning",
        1.0,
    )
    assert 0.3 < row["value"] < 0.7
    assert row["message"].startswith(
        f"ED age is filled in only {round(row['value'] * 100)}% of attendances in 2020-03"
    )
    c = report.completeness.set_index(["month", "field"])
    assert c.loc[("2020-03", "age"), "share"] == row["value"] and c.loc[("2020-04", "age"), "share"] == 1
    assert len(alarms(report)) == 1


@pytest.mark.slow
def test_a_month_with_many_out_of_area_lsoas(hub: Hub, tmp_path: Path) -> None:
    load(hub, "ed-attendances", factory.ed_file(tmp_path / "ed.csv", outside={"2020-05": 0.3}))
    report = check(hub)
    spikes = found(report, "unplaced_lsoa", severity="warning")
    [row] = spikes.to_dict("records")
    assert row["month"] == "2020-05" and 0.15 < row["value"] < 0.45 and row["expected"] == 0
    assert (
        "out-of-area LSOA" in row["message"] and "borough figures for 2020-05 are too low" in row["message"]
    )
    [summary] = found(report, "unplaced_lsoa", severity="info").to_dict("records")
    assert summary["month"] is None and "an LSOA outside the loaded areas" in summary["message"]
    assert len(alarms(report)) == 1


@pytest.mark.slow
def test_an_ed_arrival_before_the_assault(hub: Hub, tmp_path: Path) -> None:
    load(hub, "ed-attendances", factory.ed_file(tmp_path / "ed.csv", arrival_before={"2020-10": 2}))
    report = check(hub)
    [row] = found(report, "implausible_value").to_dict("records")
    assert (row["month"], row["field"], row["value"], row["severity"]) == (
        "2020-10",
        "arrival_at",
        2,
        "warning",
    )
    assert (
        row["message"]
        == "2 of 80 ED attendances in 2020-10 that arrived at the ED before the assault happened: "
        "swapped fields or a wrong clock?"
    )


@pytest.mark.slow
def test_quarantined_rows_are_reported_by_the_month_in_their_raw_text(hub: Hub, tmp_path: Path) -> None:
    path = factory.ed_file(tmp_path / "ed.csv")
    lines = path.read_text().splitlines()
    header, good = lines[0].split(","), lines[1].split(",")  # good is dated 2019-01

    def row(**values: str) -> str:
        return ",".join(values.get(name, value) for name, value in zip(header, good, strict=True))

    bad_age, uk_date = row(age="150"), row(assault_datetime="15/03/2020 10:00", age="-3")
    no_date, no_month = row(assault_datetime="someday"), row(assault_datetime="2021-13-01 10:00")
    path.write_text("\n".join([*lines, bad_age, uk_date, no_date, no_month]) + "\n")
    load(hub, "ed-attendances", path)
    q = found(check(hub), "quarantined").set_index("month", drop=False)
    assert list(q["field"]) == ["assault_datetime", "age", "age"]  # the unknown month first
    assert q.iloc[0]["value"] == 2  # "someday" and a 13th month: neither names a month
    assert q.loc["2019-01", "message"].startswith(
        "1 ed-attendances row(s) dated 2019-01 were quarantined for 'age'"
    )
    assert q.loc["2020-03", "value"] == 1 and q.iloc[0]["month"] is None
    assert "(month unknown)" in q.iloc[0]["message"]


@pytest.mark.slow
def test_police_records_checks(hub: Hub, tmp_path: Path) -> None:
    base = {
        "recorded_date": "2020-02-03",
        "committed_date": "2020-02-01",
        "offence_code": "8N",
        "knife_flag": "N",
        "firearm_flag": "N",
        "domestic_flag": "N",
        "lsoa_code": factory.LSOAS[0],
    }
    extra = [
        # The same victim of one crime twice in one file, with another age: which is right cannot be
        # told, so the second is quarantined rather than loaded beside the first.
        {"crime_ref": "DUP/1", **base, "person_role": "victim", "person_ref": "V1", "age": 30, "sex": "F"},
        {"crime_ref": "DUP/1", **base, "person_role": "victim", "person_ref": "V1", "age": 31, "sex": "F"},
        # One crime restated with another offence code.
        {"crime_ref": "RE/1", **base, "person_role": "victim", "person_ref": "V2", "age": 40, "sex": "M"},
        {
            "crime_ref": "RE/1",
            **base,
            "offence_code": "5D",
            "person_role": "suspect",
            "person_ref": "S2",
            "age": 104,
            "sex": "M",
        },
    ]
    path = factory.police_file(tmp_path / "police.csv", recorded_early={"2020-04": 3}, extra_rows=extra)
    load(hub, "police-records", path)
    again = tmp_path / "police-again.csv"  # a later extract repeating the first rows
    again.write_text("\n".join(path.read_text().splitlines()[:11]) + "\n")
    load(hub, "police-records", again)
    report = check(hub, "police-records")
    assert set(report.findings["source"]) == {"police-records"}
    [early] = found(report, "implausible_value", field="recorded_date").to_dict("records")
    assert (early["month"], early["value"], early["severity"]) == ("2020-04", 3, "warning")
    [old] = found(report, "implausible_value", field="age").to_dict("records")
    assert (old["month"], old["value"], old["severity"]) == ("2020-02", 1, "info")
    assert found(report, "possible_duplicate").empty  # a record stands once: no repeats are loaded
    [held] = found(report, "quarantined").to_dict("records")
    assert (held["month"], held["value"], held["field"]) == ("2020-02", 1, "crime_ref")
    [odd] = found(report, "inconsistent_record").to_dict("records")
    assert odd["month"] == "2020-02" and odd["value"] == 1
    [skipped] = found(report, "duplicates_skipped").to_dict("records")
    assert skipped["value"] == 10 and skipped["message"].startswith("police-again.csv (load ")


@pytest.mark.slow
def test_a_source_by_cli_name_or_table_and_sorted_by_severity(hub: Hub, tmp_path: Path) -> None:
    months = [m for m in factory.MONTHS if m not in ("2020-06", "2020-07")]
    ed = factory.ed_file(tmp_path / "ed.csv", counts={"2020-09": 27}, months=months, outside={"2020-02": 0.5})
    load(hub, "ed-attendances", ed)
    load(hub, "fire", factory.fire_file(tmp_path / "fire.csv"))
    by_name, by_table = check(hub, "ed-attendances"), check(hub, "ed_attendances")
    pd.testing.assert_frame_equal(by_name.findings, by_table.findings)
    assert set(by_name.findings["source"]) == {"ed-attendances"}
    ranks = by_name.findings["severity"].map(SEVERITIES.index)
    assert ranks.is_monotonic_increasing and by_name.count("error") == 1 and by_name.count("warning") == 2
    [gap] = found(by_name, "missing_month").to_dict("records")  # one gap, however many months
    assert gap["month"] == "2020-06"
    assert gap["message"].startswith("No ED attendances from 2020-06 to 2020-07 (2 months)")
    with pytest.raises(UnknownSource):
        check(hub, "ed")


def test_indicators_have_no_month(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "indicators.csv"
    path.write_text(
        "indicator_id,area_code,period,value,unit,note\n"
        "local_neet_16_17,E23000004,2019,5.4,percent,\n"
        "local_neet_16_17,Liverpool,2020,5.1,percent,\n"
    )
    load(hub, "indicators", path)
    report = check(hub, "indicators")
    [row] = report.findings.to_dict("records")
    assert (row["check"], row["field"], row["month"]) == ("quarantined", "area_code", None)
    assert row["message"].startswith("1 indicators row(s) (month unknown) were quarantined for 'area_code'")
    c = report.completeness
    assert c["month"].isna().all() and (c["rows"] == 1).all() and "note" in set(c["field"])


def test_an_empty_warehouse_has_nothing_to_report(hub: Hub) -> None:
    hub.init()
    report = check(hub)
    assert report.findings.empty and report.completeness.empty

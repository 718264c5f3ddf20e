"""The outcome curve's points: a hidden month breaks the line and its band instead of being bridged."""

from __future__ import annotations

from vrhub.web.dashboard.cohort_chart import _band_segments, points


def _row(month: int, cohort: object, comparison: object, ci: bool = True) -> dict[str, object]:
    row: dict[str, object] = {"follow_up_months": month, "cohort_proportion": cohort}
    row["comparison_proportion"] = comparison
    for g, p in (("cohort", cohort), ("comparison", comparison)):
        number = isinstance(p, float)
        row[f"{g}_ci_low"] = p - 0.01 if number and ci else None  # type: ignore[operator]
        row[f"{g}_ci_high"] = p + 0.01 if number and ci else None  # type: ignore[operator]
    return row


def test_a_hidden_month_breaks_the_curve_it_is_hidden_in_and_no_other() -> None:
    rows = [_row(1, 0.1, 0.1), _row(2, 0.2, 0.2), _row(3, 0.3, "*"), _row(4, 0.4, "*"), _row(5, 0.5, 0.5)]
    data = points(rows)
    runs = data.groupby("group")["segment"].apply(lambda s: list(dict.fromkeys(s)))
    assert len(runs["Cohort"]) == 1
    comparison = data[data["group"] == "Matched comparison"]
    assert comparison["months"].tolist() == [1, 2, 5]
    assert comparison.groupby("segment")["months"].apply(list).tolist() == [[1, 2], [5]]


def test_a_month_without_an_interval_breaks_the_band_but_not_the_line() -> None:
    rows = [_row(1, 0.1, 0.1), _row(2, 0.2, 0.2, ci=False), _row(3, 0.3, 0.3)]
    band = _band_segments(points(rows))
    cohort = band[band["group"] == "Cohort"]
    assert cohort["months"].tolist() == [1, 3] and cohort["band"].nunique() == 2
    assert points(rows).groupby("group")["segment"].nunique().tolist() == [1, 1]

"""What the aggregate view of `cohort outcomes` gives away, on frequency tables small enough to work by
hand: shares and means worked from the published counts (not the exact ones the rounding hides), and
the summary, estimates and balance table hiding the same people (secondary suppression across parts)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from vrhub.cohorts import privacy
from vrhub.cohorts.matching import balance, smd
from vrhub.cohorts.outcomes import SUMMARY_COUNTS, _public_balance

Row = tuple[str, str, str, int, int]  # age band, sex, borough, contacts in the 12 months before, people


def _freq(group: str, rows: Sequence[Row]) -> pd.DataFrame:
    return pd.DataFrame(
        [(group, *r) for r in rows], columns=["group", "age_band", "sex", "borough", "contacts_12m", "n"]
    )


# Everyone else in the comparison pool: 91 people in each of four strata, with 0 to 2 contacts.
POOL_OTHERS: list[Row] = [
    ("16-17", "M", "A", 0, 91),
    ("18-20", "F", "B", 1, 91),
    ("16-17", "F", "B", 0, 91),
    ("18-20", "M", "A", 2, 91),
]


def _outputs(
    cohort: Sequence[Row], matched: Sequence[Row], **figures: float
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, object]]:
    """The published estimates (one outcome at 12 months, with `figures` in place of the row's), balance
    and summary of a cohort whose `matched` members (a part of `cohort`) each have a match alike in every
    covariate, from the pool."""
    before = pd.concat([_freq("cohort", cohort), _freq("comparison", [*matched, *POOL_OTHERS])])
    after = pd.concat([_freq("cohort", matched), _freq("comparison", matched)])
    members, pairs = sum(r[4] for r in cohort), sum(r[4] for r in matched)
    summary: dict[str, object] = {
        "cohort_label": "test@1",
        "records": members + 10,
        "linked_records": members,
        "members": members,
        "matched": pairs,
        "comparison_pool": pairs + 364,
        "seed": 1,
    }
    estimates = pd.DataFrame(
        [
            {
                "outcome": "offending",
                "title": "Offending",
                "follow_up_months": 12,
                **{f"{g}_people": pairs for g in privacy.GROUPS},
                **{f"{g}_followed": pairs - 4 for g in privacy.GROUPS},
                **{f"{g}_with_outcome": 12 for g in privacy.GROUPS},
                **{f"{g}_events": 15 for g in privacy.GROUPS},
                **{f"{g}_{c}": 0.31 for g in privacy.GROUPS for c in ("proportion", "ci_low", "ci_high")},
                **{f"{g}_longest_months": 24 for g in privacy.GROUPS},
                **{f"{g}_median_months": 20 for g in privacy.GROUPS},
                **{c: 0.0 for c in ("risk_difference", "rd_ci_low", "rd_ci_high")},
                **{c: 1.0 for c in ("hazard_ratio", "hr_ci_low", "hr_ci_high")},
                "follow_up_note": None,
            }
            | figures
        ]
    )
    published, table, shown = privacy.protect_outputs(
        estimates, balance(before, after), summary, SUMMARY_COUNTS
    )
    return published, _public_balance(table), shown


# 36 members, all matched. Age 16-17: 9 (a share of 0.25), 18-20: 27; women 12 (0.33), men 24; borough
# A 13 (0.36), B 23; 27 contacts between them (a mean of 0.75).
THIRTY_SIX: list[Row] = [
    ("16-17", "F", "A", 3, 9),
    ("18-20", "F", "A", 0, 3),
    ("18-20", "M", "A", 0, 1),
    ("18-20", "M", "B", 0, 23),
]


def _fits(share: float, size: int) -> bool:
    """Whether some whole number of people out of `size` is `share`, to two decimals."""
    return any(round(k / size, 2) == share for k in range(size + 1))


def test_shares_and_means_are_worked_from_the_published_counts_and_do_not_give_the_exact_size_back() -> None:
    """The members, 36, are published as 35 (33 to 37 to a reader). Exact shares 9/36 = 0.25, 12/36 =
    0.33, 13/36 = 0.36 and the mean 27/36 = 0.75 fit 36 and no other size from 33 to 37 (9/35 = 0.26,
    9/37 = 0.24): the rounding undone. Published, each is the published count over the published size:
    age 16-17 10/35 = 0.29, 18-20 25/35 = 0.71, women 10/35 = 0.29, men 25/35 = 0.71, A 15/35 = 0.43,
    B 25/35 = 0.71, and contacts 25/35 = 0.71 (27 rounded to 25)."""
    assert not any(_fits(0.25, n) for n in (33, 34, 35, 37)) and _fits(0.25, 36)
    _, table, summary = _outputs(THIRTY_SIX, THIRTY_SIX)
    assert summary["members"] == 35 and summary["matched"] == 35 and summary["comparison_pool"] == 400
    b = table.set_index(["covariate", "level"])
    expected = {
        ("age_band", "16-17"): 10 / 35,
        ("age_band", "18-20"): 25 / 35,
        ("sex", "F"): 10 / 35,
        ("sex", "M"): 25 / 35,
        ("borough", "A"): 15 / 35,
        ("borough", "B"): 25 / 35,
        ("contacts_12m", "mean"): 25 / 35,
    }
    for key, share in expected.items():
        for column in ("cohort", "cohort_matched", "comparison_after"):
            assert b.loc[key, column] == round(share, 2), (key, column)
    # Every share of the whole cohort is a multiple of 5 people out of the published 35, and so fits every
    # size a reader of 35 must allow.
    for share in b["cohort"]:
        assert min(abs(share * 35 - 5 * k) for k in range(8)) < 0.35
    # The pool: 16-17 is 9 + 91 + 91 = 191 of 400, published 190/400.
    assert b.loc[("age_band", "16-17"), "comparison_before"] in (0.47, 0.48)  # 0.475, as a float
    assert (b["smd_after"] == 0).all()


def test_an_smd_is_worked_from_the_published_shares() -> None:
    """An SMD of exact shares gives the shares back (0.25 against the pool's 0.48 is -0.49; the published
    0.29 against 0.47 is -0.38)."""
    _, table, _ = _outputs(THIRTY_SIX, THIRTY_SIX)
    row = table.set_index(["covariate", "level"]).loc[("age_band", "16-17")]
    p, q = pd.Series([row["cohort"]]), pd.Series([row["comparison_before"]])
    assert row["smd_before"] == round(float(smd(p, p * (1 - p), q, q * (1 - q)).iloc[0]), 2)
    exact = (9 / 36 - 191 / 400) / math.sqrt((9 / 36 * 27 / 36 + 191 / 400 * 209 / 400) / 2)
    assert row["smd_before"] != round(exact, 2)


# 40 members; one woman of 16-17 in borough A (contacts 0) has no match: 39 matched.
FORTY: list[Row] = [("16-17", "F", "A", 0, 12), ("16-17", "M", "B", 0, 14), ("18-20", "M", "A", 1, 14)]
THIRTY_NINE: list[Row] = [("16-17", "F", "A", 0, 11), ("16-17", "M", "B", 0, 14), ("18-20", "M", "A", 1, 14)]


def test_a_matched_count_hidden_in_the_summary_is_hidden_in_the_estimates_and_the_balance_table() -> None:
    """40 members less 39 matched is 1: the summary hides the matched (a '*' beside 40). The people
    followed in each group are those 39 (40 to a reader, which with 40 members would say 'all but 0 to
    2 matched'), and the matched members' shares (11/39 women against 12/40 of all members, 0.28 and
    0.30) single out the one unmatched person's sex, age band and borough: all hidden with it, and the
    contacts' SMD after matching (worked from the hidden means). What is
    about all 40 members stays."""
    estimates, table, summary = _outputs(FORTY, THIRTY_NINE)
    assert summary["members"] == 40 and summary["matched"] == privacy.SUPPRESSED
    row = estimates.iloc[0]
    assert row["cohort_people"] == privacy.SUPPRESSED and row["comparison_people"] == privacy.SUPPRESSED
    assert row["suppressed"]
    # Nothing else of the estimates rests on the unmatched person: their other figures stay.
    assert (row["cohort_with_outcome"], row["cohort_followed"], row["cohort_median_months"]) == (10, 35, 20)
    for column in ("cohort_matched", "comparison_after"):
        assert (table[column] == privacy.SUPPRESSED).all(), column
    # Alike at every level by construction (exact matching): an SMD after of 0 says nothing of the shares.
    shares = table["covariate"] != "contacts_12m"
    assert (table.loc[shares, "smd_after"] == 0).all() and (table.loc[~shares, "smd_after"] == "*").all()
    assert not (table[["cohort", "comparison_before", "smd_before"]] == privacy.SUPPRESSED).any().any()
    assert table.set_index(["covariate", "level"]).loc[("sex", "F"), "cohort"] == round(10 / 40, 2)


# 60 members, 50 matched: the 10 unmatched are all men of 16-17, 3 of them in borough A and 7 in B.
SIXTY: list[Row] = [("16-17", "M", "A", 0, 20), ("18-20", "M", "B", 2, 30), ("16-17", "M", "B", 0, 10)]
FIFTY: list[Row] = [("16-17", "M", "A", 0, 17), ("18-20", "M", "B", 2, 30), ("16-17", "M", "B", 0, 3)]


def test_a_difference_before_and_after_matching_that_singles_out_fewer_than_8_is_not_published() -> None:
    """Members 60 and matched 50 are shown (10 unmatched). By borough the 10 are 3 (A) and 7 (B): A's
    20 members against 17 matched would single out 3 people, so the matched count in A is hidden, and
    B's with it (else 50 - B would give A back); their shares and SMDs after matching too. By age band
    (10 and 0 unmatched) and sex (10) the difference singles out no fewer than 8 (or no one): shown,
    16-17 20/50 = 0.4 of the matched against 30/60 = 0.5 of all members."""
    _, table, summary = _outputs(SIXTY, FIFTY)
    assert (summary["members"], summary["matched"]) == (60, 50)
    b = table.set_index(["covariate", "level"])
    for level in ("A", "B"):
        assert b.loc[("borough", level), ["cohort_matched", "comparison_after"]].eq("*").all()
        assert b.loc[("borough", level), "smd_after"] == 0  # alike by construction: it gives nothing back
    assert b.loc[("borough", "A"), "cohort"] == round(20 / 60, 2)
    assert b.loc[("age_band", "16-17"), ["cohort", "cohort_matched"]].tolist() == [0.5, 0.4]
    assert (
        b.loc[("age_band", "18-20"), "cohort_matched"] == 0.6 and b.loc[("sex", "M"), "cohort_matched"] == 1
    )
    # Contacts: 60 members have 60 (1.0 each), the 50 matched 60 too (1.2): the unmatched had none, a
    # difference of 0 contacts is no small number, and both means are shown.
    assert b.loc[("contacts_12m", "mean"), ["cohort", "cohort_matched"]].tolist() == [1.0, 1.2]


def test_contacts_of_a_few_unmatched_people_are_not_given_away_by_the_means() -> None:
    """As above, but the 10 unmatched carry 3 contacts between them (one each for three people): the
    matched members' sum of contacts (60) beside all members' (63) would give the 3 back, so the matched
    mean is hidden, with the SMD after matching."""
    sixty = [("16-17", "M", "A", 0, 17), ("16-17", "M", "A", 1, 3), *SIXTY[1:]]
    _, table, _ = _outputs(sixty, FIFTY)
    contacts = table.set_index(["covariate", "level"]).loc[("contacts_12m", "mean")]
    assert contacts["cohort"] == round(65 / 60, 2)  # 63 contacts, published as 65
    assert contacts["cohort_matched"] == privacy.SUPPRESSED and contacts["smd_after"] == privacy.SUPPRESSED


def test_a_kaplan_meier_proportion_and_its_ci_carry_no_more_than_the_rounded_counts() -> None:
    """36 followed, none censored, 15 with the outcome: KM 15/36 = 0.42 (CI 0.28 to 0.59). Beside 15 of
    35 published, 0.42 fits 15/36 and 14/33 only (no other count from 13 to 17 out of 33 to 37); a
    second outcome's 11/36 = 0.31 (11/35 or 11/36) leaves 36. Published, the proportion is the people
    it stands for, 0.42 x 36 = 15, rounded to 5, over the published 35: 15/35 = 0.43, the published
    with_outcome over the published people; the CI's ends go outward to the grid of 5/35: 0.28 x 35 = 9.8
    down to 5 (0.14), 0.59 x 35 = 20.7 up to 25 (0.71). The risk difference is the difference of the
    published proportions (the comparison's 25/36 = 0.69: 25/35 = 0.71), 0.43 - 0.71 = -0.28,
    its CI (-0.45 to -0.01) outward to -0.57 and 0."""
    fits = {(k, n) for k in range(13, 18) for n in range(33, 38) if round(k / n, 2) == 0.42}
    assert fits == {(15, 36), (14, 33)}
    figures = {
        "cohort_with_outcome": 15,
        "cohort_proportion": 15 / 36,
        "cohort_ci_low": 0.28,
        "cohort_ci_high": 0.59,
        "comparison_with_outcome": 25,
        "comparison_proportion": 25 / 36,
        "comparison_ci_low": 0.53,
        "comparison_ci_high": 0.83,
        "risk_difference": 15 / 36 - 25 / 36,
        "rd_ci_low": -0.45,
        "rd_ci_high": -0.01,
    }
    estimates, _, _ = _outputs(THIRTY_SIX, THIRTY_SIX, **figures)
    row = estimates.iloc[0]
    assert (row["cohort_people"], row["cohort_with_outcome"]) == (35, 15)
    assert (row["cohort_proportion"], row["cohort_ci_low"], row["cohort_ci_high"]) == (0.43, 0.14, 0.71)
    assert (row["comparison_proportion"], row["comparison_ci_low"], row["comparison_ci_high"]) == (
        0.71,
        0.43,
        0.86,
    )
    assert (row["risk_difference"], row["rd_ci_low"], row["rd_ci_high"]) == (-0.28, -0.57, 0.0)


def test_figures_on_1_to_7_people_are_not_shown_even_where_no_one_had_the_outcome() -> None:
    """40 members, 5 matched: the people followed are 5 in each group (hidden), none with the outcome (a
    0, shown). A proportion of 0 with its CI's high end (1 - 0.025^(1/5) = 0.52) would give the 5 back."""
    figures = {
        "cohort_with_outcome": 0,
        "cohort_proportion": 0.0,
        "cohort_ci_low": 0.0,
        "cohort_ci_high": 0.52,
    }
    estimates, _, summary = _outputs(FORTY, [("16-17", "F", "A", 0, 5)], **figures)
    row = estimates.iloc[0]
    assert summary["matched"] == privacy.SUPPRESSED and row["cohort_with_outcome"] == 0
    assert (row["cohort_people"], row["cohort_proportion"], row["cohort_ci_high"]) == ("*", "*", "*")
    assert row["risk_difference"] == "*"

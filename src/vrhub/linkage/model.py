"""The linkage model: what is compared, which pairs are compared at all, and how the model learns without
labels. Splink's Fellegi-Sunter model (`settings`, `train`), the same for every engine and for the benchmark's
bare splink.

Comparisons (each level a match weight learnt from the data; term frequencies adjust the exact-match
levels of names and address, so a shared rare surname counts for more than a shared `smith`):

- forename: exact; the same formal name (`bill`/`william`); Jaro-Winkler >= 0.92, >= 0.85; the forename one
  side is the other's surname (names written the wrong way round or shifted); same initial; else.
- surname: exact; Jaro-Winkler >= 0.92, >= 0.85; forename and surname swapped (with the forename's level,
  a swap of both names counts on both sides, as splink's forename-surname comparison does); else.
- date of birth: exact; day and month swapped; one character different (a typo, including a date that
  cannot be: `1984-13-45`); within a month; two characters different (a year mistyped in its decade and a
  day, `1983-03-16`/`1993-03-13`); the same year; within five years; else.
- place (postcode and address together, since they say the same thing twice: two independent comparisons
  would count a shared home twice): same postcode; same sector or a one-character postcode typo; same
  address; same district; similar address (Jaro-Winkler >= 0.88); else.
- sex, NHS number: exact or not.
- email: exact; the same user part (before the `@`) at another provider; Jaro-Winkler >= 0.88 on the
  address, then on its user part, with the same digits in both (a typo in the letters); else.

Blocking: only pairs that agree exactly on one of `BLOCKING` are compared. Each rule pairs two fields (or a
field and part of another), or blocks on a value that few people share wherever they live (a postcode, an
NHS number, a whole email), so no common value alone (a frequent surname, a shared birthday, an email's
user part such as `info`) makes a block of millions at a million records; together they let each kind of
error through somewhere (a typo in the surname still agrees on forename and date of birth, a moved person
on names and date of birth, a typo near the end of both names on their first letters, names the wrong way
round on the birth year, a record without names on its postcode or its date of birth and the start of its
email or town...). The
first letters of both names (3 of the forename, 4 of the surname) is splink's own rule for its historical
figures; it makes the most pairs of any rule (23 million at a million synthetic records).

Grouping: see `vrhub.linkage.clusters` (the threshold, then lone records at `LONE_RECORD_FLOOR`).

Training, with no labels: u (how often a level happens among non-matches) from random pairs; m (how often
among matches) by expectation maximisation over pairs blocked on `TRAINING` (each estimates what its rule
does not fix); the prior (the share of all pairs that match) by expectation maximisation over the scored
pairs at `SCORE_FLOOR` or above, with m and u held (see `calibrate`).
"""

from __future__ import annotations

import contextlib
import copy
import logging
import math
from typing import Any

import numpy as np
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.internals.exceptions import EMTrainingException

# A pair whose match probability is at least this is the same person; people are the connected groups of
# such pairs. High, because a group joins on any one pair: a wrong pair merges two people whole.
THRESHOLD = 0.95
# A record the threshold leaves alone joins its likeliest partner's person when that pair is more likely
# than not (`vrhub.linkage.clusters.lone_pairs`): one record misplaced, never two people merged.
LONE_RECORD_FLOOR = 0.5
SEED = 2024  # random pairs for u: the same records give the same model
U_PAIRS = 2e6
EM_PAIRS = 2e6
SWAPPED = "forename and surname swapped"  # the surname level for both names the wrong way round
# Pairs scored at least this likely are kept with the run (for the quality report).
KEEP_PAIRS_ABOVE = 0.01
# Scoring brings a pair out of the engine only where it is at least this likely under the trained prior:
# ten times below what the run keeps, so a calibrated prior up to ten times the trained one loses no pair
# it keeps. The pairs left behind are nearly all of them at a million records and move the calibrated
# prior by under 0.05% on the labelled files (docs/linkage.md).
SCORE_FLOOR = KEEP_PAIRS_ABOVE / 10

BLOCKING: list[Any] = [
    block_on("forename", "surname"),
    block_on("surname", "dob"),
    block_on("forename", "dob"),
    block_on("forename_formal", "surname"),
    block_on("forename_formal", "dob"),
    # A postcode is a few dozen homes wherever people live, so it blocks alone (it was once paired with a
    # forename, a surname or the address, which it now covers).
    block_on("postcode"),
    block_on("surname", "dob_year", "forename_initial"),
    block_on("forename", "dob_year", "surname_initial"),
    block_on("surname", "dob_month_day"),
    block_on("forename", "dob_month_day"),
    block_on("dob", "surname_initial"),
    block_on("dob", "forename_initial"),
    block_on("dob", "address"),
    block_on("surname", "address"),
    block_on("address", "dob_year"),
    block_on("forename", "postcode_district", "surname_initial"),
    block_on("surname", "postcode_district", "forename_initial"),
    block_on("postcode_sector", "dob_year", "forename_initial"),
    # Names mistyped towards their end, as splink's own example for the historical figures blocks them.
    block_on("substr(forename, 1, 3)", "substr(surname, 1, 4)"),
    block_on("address", "forename"),
    "l.forename = r.surname AND l.surname = r.forename",
    "l.forename = r.surname AND l.dob = r.dob",
    "l.surname = r.forename AND l.dob = r.dob",
    "l.forename = r.surname AND l.dob_year = r.dob_year",
    "l.surname = r.forename AND l.dob_year = r.dob_year",
    "l.forename = r.surname AND l.address = r.address",
    "l.surname = r.forename AND l.address = r.address",
    block_on("nhs_number"),
    block_on("email"),
    # The user part of an email with one other weak agreement (a provider mistyped or changed): never
    # alone, since `info` or `admin` would make blocks of thousands.
    block_on("email_user", "dob_year"),
    block_on("email_user", "forename_initial"),
    block_on("email_user", "surname_initial"),
    block_on("email_user", "substr(address, 1, 1)"),
    # The date of birth with the start of an email or an address: a record whose names are missing or
    # mangled but whose email or town is only mistyped towards its end.
    block_on("dob", "substr(email, 1, 2)"),
    block_on("dob", "substr(address, 1, 3)"),
]
TRAINING = [block_on("dob_year"), block_on("forename", "surname"), block_on("postcode_district")]
# Rules that find matches with few false ones: the prior's starting point, before `calibrate`.
DETERMINISTIC = [block_on("forename", "surname", "dob"), block_on("nhs_number")]


def _level(sql: str, label: str, tf: str | None = None) -> cll.CustomLevel:
    level = cll.CustomLevel(sql, label_for_charts=label)
    if tf:
        level.configure(tf_adjustment_column=tf)
    return level


# Digits in a mailbox tell one holder of a name from another (`oliver.smith87`, `oliver.smith88`), where
# similarity of the whole would call them one mistyped: the near-miss email levels need the same digits.
_SAME_DIGITS = cll.CustomLevel("email_digits_l = email_digits_r")


def comparisons() -> list[Any]:
    forename = cl.CustomComparison(
        output_column_name="forename",
        comparison_levels=[
            cll.NullLevel("forename"),
            _level("forename_l = forename_r", "exact", tf="forename"),
            _level("forename_formal_l = forename_formal_r", "same formal name (bill, william)"),
            cll.JaroWinklerLevel("forename", 0.92),
            cll.JaroWinklerLevel("forename", 0.85),
            _level(
                "forename_l = surname_r OR forename_r = surname_l", "one's forename is the other's surname"
            ),
            _level("forename_initial_l = forename_initial_r", "same initial"),
            cll.ElseLevel(),
        ],
    )
    surname = cl.CustomComparison(
        output_column_name="surname",
        comparison_levels=[
            cll.NullLevel("surname"),
            _level("surname_l = surname_r", "exact", tf="surname"),
            cll.JaroWinklerLevel("surname", 0.92),
            cll.JaroWinklerLevel("surname", 0.85),
            # Both names written the wrong way round: with the forename's level, the swap counts on both.
            _level("surname_l = forename_r AND surname_r = forename_l", SWAPPED),
            cll.ElseLevel(),
        ],
    )
    swapped = (
        "substr(dob_l, 1, 5) = substr(dob_r, 1, 5) AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
        "AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)"
    )
    dob = cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob").configure(label_for_charts="exact"),
            _level(swapped, "day and month swapped"),
            cll.LevenshteinLevel("dob", 1).configure(label_for_charts="one character different"),
            cll.AbsoluteDateDifferenceLevel("dob_date", input_is_string=False, threshold=1, metric="month"),
            cll.LevenshteinLevel("dob", 2).configure(label_for_charts="two characters different"),
            _level("dob_year_l = dob_year_r", "same year"),
            cll.AbsoluteDateDifferenceLevel("dob_date", input_is_string=False, threshold=5, metric="year"),
            cll.ElseLevel(),
        ],
    )
    place = cl.CustomComparison(
        output_column_name="place",
        comparison_levels=[
            _level(
                "(postcode_l IS NULL OR postcode_r IS NULL) AND (address_l IS NULL OR address_r IS NULL)",
                "no postcode or address to compare",
            ).configure(is_null_level=True),
            _level("postcode_l = postcode_r", "same postcode"),
            cll.Or(cll.ExactMatchLevel("postcode_sector"), cll.LevenshteinLevel("postcode", 1)).configure(
                label_for_charts="same sector, or a postcode typo"
            ),
            _level("address_l = address_r", "same address", tf="address"),
            _level("postcode_district_l = postcode_district_r", "same district"),
            cll.JaroWinklerLevel("address", 0.88).configure(label_for_charts="similar address"),
            cll.ElseLevel(),
        ],
    )
    # Two people sharing a valid NHS number is an error, never chance: random pairs almost never show one,
    # so its u is set (one pair in ten million) rather than left untrained.
    nhs = cl.CustomComparison(
        output_column_name="nhs_number",
        comparison_levels=[
            cll.NullLevel("nhs_number"),
            cll.ExactMatchLevel("nhs_number").configure(u_probability=1e-7, fix_u_probability=True),
            cll.ElseLevel(),
        ],
    )
    # An address is one person's far more often than a name is, but a family may share one: term
    # frequencies weigh a shared `info@` or household address down.
    email = cl.CustomComparison(
        output_column_name="email",
        comparison_levels=[
            cll.NullLevel("email"),
            _level("email_l = email_r", "exact", tf="email"),
            _level("email_user_l = email_user_r", "same user part, another provider"),
            cll.And(cll.JaroWinklerLevel("email", 0.88), _SAME_DIGITS).configure(
                label_for_charts="similar address (a typo), the same digits"
            ),
            cll.And(cll.JaroWinklerLevel("email_user", 0.88), _SAME_DIGITS).configure(
                label_for_charts="similar user part, the same digits"
            ),
            cll.ElseLevel(),
        ],
    )
    return [forename, surname, dob, place, cl.ExactMatch("sex"), nhs, email]


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="uid",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=list(BLOCKING),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def train(linker: Linker) -> list[str]:
    """Estimate u, m and a first prior without labels. Returns the training rules that could not be learnt
    from, which are skipped."""
    quiet = logging.getLogger("splink")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    skipped = []
    try:
        # No pair agreeing on all of them: the prior starts from splink's default (`calibrate` sets it).
        with contextlib.suppress(ValueError):
            linker.training.estimate_probability_two_random_records_match(list(DETERMINISTIC), recall=0.7)
        linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=SEED)
        _swap_u_where_unseen(linker)
        for rule in TRAINING:
            # A session that fails leaves the comparisons its rule fixes out of the model: put them back.
            kept = copy.deepcopy(linker._settings_obj)
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True, max_pairs=EM_PAIRS
                )
            except (EMTrainingException, ValueError):
                # No pairs to learn from (a column absent from every record), or, on a few records, a
                # level whose m fell to nothing (splink refuses an m of 0).
                linker._settings_obj = kept
                skipped.append(rule.get_blocking_rule("duckdb").blocking_rule_sql)
    finally:
        quiet.setLevel(level)
    return skipped


def _swap_u_where_unseen(linker: Linker) -> None:
    """Random pairs that agree on both names crosswise are too rare to count among two million, so
    splink would take an arbitrary u (one in a million) for the swapped level. It is set instead to the
    chance of agreeing on both names straight, the product of the two exact levels' u: the names a
    forename and a surname share are fewer than all names, so this overstates u and understates the swap's
    weight, never the reverse."""
    levels = {
        (c.output_column_name, level.label_for_charts): level
        for c in linker._settings_obj.comparisons
        for level in c.comparison_levels
        if not level.is_null_level
    }
    swapped = levels[("surname", SWAPPED)]
    if isinstance(swapped._u_probability, float):
        return
    forename, surname = (levels[(name, "exact")].u_probability for name in ("forename", "surname"))
    if forename is not None and surname is not None:
        swapped.u_probability = min(max(forename * surname, 1e-9), 1.0)


def prior(linker: Linker) -> float:
    return float(linker._settings_obj._probability_two_random_records_match)


def set_prior(linker: Linker, value: float) -> None:
    linker._settings_obj._probability_two_random_records_match = value


def odds_weight(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def calibrate(bayes_weights: np.ndarray, records: int, start: float) -> float:
    """The prior (share of all pairs of records that are the same person) that best explains the scored
        pairs: expectation maximisation of the mixing proportion with m and u held. `bayes_weights` are the
        log2 Bayes factors of the pairs scored; a pair never scored (not blocked, or below the scoring floor,
    at most one chance in a thousand) is taken as a non-match. Each step sets
        the prior to the expected number of matches over the number of pairs."""
    total = records * (records - 1) / 2
    if total <= 0 or bayes_weights.size == 0:
        return start
    factors = np.exp2(np.clip(bayes_weights, -60, 60))
    value = start
    for _ in range(500):
        expected = float((value * factors / (value * factors + 1 - value)).sum())
        new = min(max(expected / total, 1e-12), 0.5)
        if abs(new - value) <= 1e-9 * value:
            return new
        value = new
    return value


def probability(bayes_weights: np.ndarray, prior_probability: float) -> np.ndarray:
    weights = bayes_weights + odds_weight(prior_probability)
    return 1 / (1 + np.exp2(-np.clip(weights, -60, 60)))

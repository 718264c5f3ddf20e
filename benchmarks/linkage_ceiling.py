"""How far vrhub's comparisons can go on splink's 50,000 historical figures (docs/linkage.md, "The ceiling").

    python benchmarks/linkage_ceiling.py      # needs ../shared/realdata/linkage; about 3 minutes

vrhub learns its model without labels. To tell what its method loses from what the records cannot tell,
the same candidate pairs (vrhub's blocking) and the same comparison levels are scored three ways, and each
scoring is grouped the way vrhub groups (connected pairs at the threshold, then each record left alone joins
its likeliest partner when that pair is more likely than not):

1. vrhub's model as a run trains it (no labels);
2. a classifier trained on the file's own truth over the same comparison levels (gradient-boosted trees,
   which may combine levels as the Fellegi-Sunter model cannot), cross-fitted: each half of the people is
   scored by a classifier trained on the other half, so no pair scores itself;
3. the blocking alone: every candidate pair joined, the recall no scoring of these pairs can pass.

The supervised classifier is an upper bound a run cannot reach (it reads the answer), not a method vrhub
could ship. Results: a table on stdout and benchmarks/linkage_ceiling.json.
"""

from __future__ import annotations

import dataclasses
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from splink import DuckDBAPI, Linker  # noqa: E402

from vrhub.linkage import model as lm  # noqa: E402
from vrhub.linkage.clusters import components, lone_pairs  # noqa: E402
from vrhub.linkage.prepare import FEATURES, features_sql, nicknames  # noqa: E402

DATA = HERE.parent.parent / "shared" / "realdata" / "linkage" / "historical_figures_with_errors_50k.parquet"
THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.98, 0.99)


def records() -> tuple[pa.Table, np.ndarray]:
    """The file as the people source reads it (the mapping of tests/linkage/test_realdata.py), made
    comparable by vrhub's own query; and each record's true cluster."""
    d = pd.read_parquet(DATA)
    raw = pd.DataFrame(
        {
            "uid": np.arange(len(d), dtype=np.int64),
            "agency": "a",
            "forename": d.first_name,
            "surname": d.surname,
            "date_of_birth": d.dob,
            "sex": d.gender,
            "postcode": d.postcode_fake,
            "address": d.birth_place,
            "nhs_number": None,
            "email": None,
        }
    ).astype({c: "string" for c in ("forename", "surname", "date_of_birth", "sex", "postcode", "address")})
    raw["since"] = raw["uid"]
    con = duckdb.connect()
    con.register("current", pa.Table.from_pandas(raw.astype({"nhs_number": "string", "email": "string"})))
    con.register("nicknames", nicknames())
    features = con.sql(features_sql("current", "nicknames") + " ORDER BY uid").to_arrow_table()
    return features.select(["uid", *FEATURES]), d.cluster.to_numpy()


def pairwise(labels: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """Pairwise precision and recall of grouping `labels` against `truth`, as `vrhub link quality` counts."""
    g = pd.DataFrame({"c": labels, "t": truth})

    def pairs(sizes: pd.Series) -> float:
        return float((sizes * (sizes - 1) / 2).sum())

    both = pairs(g.groupby(["c", "t"]).size())
    return both / pairs(g.groupby("c").size()), both / pairs(g.groupby("t").size())


def measured(labels: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    precision, recall = pairwise(labels, truth)
    return {"precision": round(precision, 4), "recall": round(recall, 4)}


def people(
    uids: np.ndarray, left: np.ndarray, right: np.ndarray, p: np.ndarray, threshold: float
) -> np.ndarray:
    sure = p >= threshold
    labels = components(uids, left[sure], right[sure])
    one, other = lone_pairs(uids, labels, left, right, p, lm.LONE_RECORD_FLOOR)
    return components(uids, np.concatenate([left[sure], one]), np.concatenate([right[sure], other]))


def main() -> None:
    if not DATA.exists():
        print(f"skipped: {DATA} is not here (the labelled file is in ../shared/realdata)")
        return
    started = time.time()
    recs, truth = records()
    uids = recs["uid"].to_numpy()
    linker = Linker(
        DuckDBAPI(duckdb.connect()).register(recs),
        dataclasses.replace(lm.settings(), retain_intermediate_calculation_columns=True),
        log_level=None,
    )
    lm.train(linker)
    start = lm.prior(linker)
    # Every candidate pair, however unlikely: the classifier and the blocking ceiling need them all.
    scored = linker.inference.predict(threshold_match_weight=-200, warning_mode="never").as_pandas_dataframe()
    # In a fixed order: the engine's is not, and the classifier's early stopping holds out rows by position.
    scored = scored.sort_values(["uid_l", "uid_r"], ignore_index=True)
    left, right = scored.uid_l.to_numpy(), scored.uid_r.to_numpy()
    same = truth[left] == truth[right]  # uid is the row number

    bayes = scored.match_weight.to_numpy() - lm.odds_weight(start)
    prior = lm.calibrate(
        bayes[bayes + lm.odds_weight(start) >= lm.odds_weight(lm.SCORE_FLOOR)], len(uids), start
    )
    unsupervised = lm.probability(bayes, prior)

    levels = [c for c in scored.columns if c.startswith("mw_")]  # each comparison's level (and tf) weight
    x = scored[levels].fillna(0.0).to_numpy()
    half = (pd.util.hash_array(truth[left].astype(str)) % 2).astype(bool)
    supervised = np.zeros(len(scored))
    for held in (False, True):
        model = HistGradientBoostingClassifier(max_iter=300, random_state=0)
        model.fit(x[half != held], same[half != held])
        supervised[half == held] = model.predict_proba(x[half == held])[:, 1]

    results: dict[str, Any] = {
        "records": len(uids),
        "candidate_pairs": len(scored),
        "true_pairs_among_candidates": int(same.sum()),
        "blocking_recall": round(pairwise(components(uids, left, right), truth)[1], 4),
        "vrhub": measured(people(uids, left, right, unsupervised, lm.THRESHOLD), truth),
        "supervised": {str(t): measured(people(uids, left, right, supervised, t), truth) for t in THRESHOLDS},
    }
    results["seconds"] = round(time.time() - started, 1)
    results["machine"] = f"{platform.machine()}, {platform.python_version()}"

    print(f"{results['records']:,} records, {results['candidate_pairs']:,} candidate pairs")
    print(f"blocking alone: recall {results['blocking_recall']}")
    print(f"vrhub (no labels, threshold {lm.THRESHOLD}): {results['vrhub']}")
    for threshold, got in results["supervised"].items():
        print(f"supervised on the truth, threshold {threshold}: {got}")
    (HERE / "linkage_ceiling.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""How good the last linkage run is, as far as it can be told, and exactly where the truth is known.

- Match weights: how many scored pairs fell in each band of weight (log2 of the odds that the two records are
  the same person). Two humps, matches high and non-matches low, with few pairs between, mean the model
  separates them well; many pairs near the threshold mean many decisions are close calls.
- Estimated precision and recall, from the model alone: each scored pair's match probability is the model's
  own estimate that it is a match. Precision is the mean probability of the pairs at or above the threshold
  (the share of links expected to be right); recall is their summed probability over the summed probability
  of every scored pair (the share of the expected matches that are linked). Pairs are those the run scored
  with at least a 1% match probability; matches the blocking never paired are not counted. These are only as
  good as the model's calibration: trust measured figures where there are any.
- A clerical review sample: the pairs nearest the threshold, both records with their clear identifiers, for
  a person to judge. It is written only on request, to the file given (owner-only), never into the
  warehouse, and the export is audited in the vault.
- Measured, where a file gives the truth (`record_ref, cluster`, and `agency` where references repeat across
  agencies): pairwise precision (of the pairs of records given one person id, the share that are truly one
  person), recall (of the pairs truly one person, the share given one id) and F1.
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from vrhub.errors import VrhubError
from vrhub.linkage.prepare import ROW_BITS
from vrhub.linkage.vault import Vault
from vrhub.pseudonymise import Pseudonymiser
from vrhub.sources.identifiers import comparable
from vrhub.sources.people import IDENTIFYING
from vrhub.spreadsheet import write_csv
from vrhub.warehouse import Warehouse

REVIEW_PAIRS = 200
_SHOWN = ("agency", "record_ref", *IDENTIFYING)


@dataclass
class LinkQuality:
    run: dict[str, Any]
    match_weights: list[dict[str, Any]]  # band (lower bound, width 1) and pairs, and pairs at or above
    estimated: dict[str, Any]
    people: dict[str, Any]
    measured: dict[str, Any] | None = None
    review_sample: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def link_quality(
    wh: Warehouse,
    vault: Vault,
    pseudonyms: Pseudonymiser,
    truth: Path | None = None,
    review_sample: Path | None = None,
    user: str | None = None,
) -> LinkQuality:
    run = vault.last_run()
    if run is None:
        raise VrhubError("no linkage run yet", "Run the linkage first.")
    threshold = float(run["threshold"])
    pairs = vault.run_pairs(run["run_id"])
    weights = pairs["match_weight"].to_numpy()
    probabilities = pairs["match_probability"].to_numpy()
    quality = LinkQuality(
        run={k: run[k] for k in ("run_id", "at", "engine", "mode", "threshold")},
        match_weights=_histogram(weights, threshold),
        estimated=_estimated(probabilities, threshold),
        people=_people(wh),
    )
    if run["mode"] == "incremental":
        quality.notes.append(
            "The last run was incremental: its pairs are the earlier runs' pairs of records still current, "
            "with those of the records loaded since, all scored by the full run's model."
        )
    if truth is not None:
        quality.measured = measured(wh, pseudonyms, truth)
    if review_sample is not None:
        quality.review_sample = write_review_sample(
            vault, pairs, threshold, review_sample, run["run_id"], user
        )
    return quality


def _histogram(weights: np.ndarray, threshold: float) -> list[dict[str, Any]]:
    if weights.size == 0:
        return []
    cut = math.log2(threshold / (1 - threshold))
    # Whole-number bands, the one holding the threshold split at it: its pairs are partly linked.
    keys = np.floor(weights).astype(np.int64) * 2 + (weights >= cut)
    values, counts = np.unique(keys, return_counts=True)
    bands = []
    for key, count in zip(values.tolist(), counts.tolist(), strict=True):
        low, linked = divmod(key, 2)
        start, end = (max(low, cut), low + 1) if linked else (low, min(low + 1, cut))
        bands.append(
            {
                "match_weight_from": _bound(start),
                "match_weight_to": _bound(end),
                "pairs": count,
                "linked": bool(linked),
            }
        )
    return bands


def _bound(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 2)


def _estimated(probabilities: np.ndarray, threshold: float) -> dict[str, Any]:
    linked = probabilities >= threshold
    expected = float(probabilities.sum())
    return {
        "pairs_scored": int(probabilities.size),
        "pairs_linked": int(linked.sum()),
        "expected_matches": round(expected, 1),
        "precision": round(float(probabilities[linked].mean()), 4) if linked.any() else None,
        "recall": round(float(probabilities[linked].sum()) / expected, 4) if expected else None,
        "close_calls": int(((probabilities >= 0.5 * threshold) & (probabilities < threshold)).sum()),
    }


def _people(wh: Warehouse) -> dict[str, Any]:
    sizes = wh.to_arrow(
        wh.sql(
            """SELECT n AS records_per_person, count(*) AS people
               FROM (SELECT person_id, count(*) AS n FROM person_links GROUP BY person_id)
               GROUP BY n ORDER BY n"""
        )
    ).to_pylist()
    agencies = wh.to_arrow(
        wh.sql(
            """SELECT count(*) AS people FROM (
                   SELECT person_id FROM person_links GROUP BY person_id HAVING count(DISTINCT agency) > 1)"""
        )
    ).column(0)
    return {
        "records": sum(r["records_per_person"] * r["people"] for r in sizes),
        "people": sum(r["people"] for r in sizes),
        "in_more_than_one_agency": int(agencies[0].as_py() or 0),
        "records_per_person": sizes,
    }


def measured(wh: Warehouse, pseudonyms: Pseudonymiser, truth: Path) -> dict[str, Any]:
    """Pairwise precision, recall and F1 of the people found against a file of the true people."""
    if not truth.is_file():
        raise VrhubError(
            f"{truth}: no such file", "Give a CSV file of record_ref, cluster.", parameter="truth"
        )
    local = duckdb.connect()
    try:
        given = local.sql(f"SELECT * FROM read_csv({_quote(str(truth))}, all_varchar = true, header = true)")
        columns = {c.lower(): c for c in given.columns}
        missing = [c for c in ("record_ref", "cluster") if c not in columns]
        if missing:
            raise VrhubError(
                f"{truth}: missing column(s) {', '.join(missing)}",
                "The truth file needs record_ref and cluster (and agency, where references repeat).",
                parameter="truth",
            )
        local.register("given", given)
        agency = f'"{columns["agency"]}"' if "agency" in columns else "NULL"
        ref = comparable("identifier", f'"{columns["record_ref"]}"')
        local.execute(
            f"""CREATE TEMP TABLE truth AS
                SELECT {pseudonyms.sql(ref)} AS record_key, {agency} AS agency,
                       "{columns["cluster"]}" AS cluster FROM given"""
        )
        links = wh.to_arrow(wh.table("person_links").select("agency", "record_key", "person_id"))
        local.register("links", links)
        local.execute(
            """CREATE TEMP TABLE matched AS
               SELECT l.person_id, t.cluster FROM truth t
               JOIN links l ON l.record_key = t.record_key AND (t.agency IS NULL OR t.agency = l.agency)"""
        )
        pairs = """SELECT coalesce(sum(n * (n - 1) / 2), 0)::DOUBLE FROM (SELECT count(*) AS n FROM matched
                   GROUP BY {})"""
        both, found, true = (
            _one(local, pairs.format(by)) for by in ("person_id, cluster", "person_id", "cluster")
        )
        records = _one(local, "SELECT count(*) FROM truth")
        matched = _one(local, "SELECT count(*) FROM matched")
    finally:
        local.close()
    precision = both / found if found else None
    recall = both / true if true else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
    return {
        "records_in_truth": int(records),
        "records_linked": int(matched),
        "true_pairs": int(true),
        "linked_pairs": int(found),
        "correct_pairs": int(both),
        "precision": None if precision is None else round(precision, 4),
        "recall": None if recall is None else round(recall, 4),
        "f1": None if f1 is None else round(f1, 4),
    }


def write_review_sample(
    vault: Vault, pairs: pa.Table, threshold: float, out: Path, run_id: int, user: str | None
) -> dict[str, Any]:
    """The pairs nearest the threshold (on the weight scale, above and below), both records in clear, one
    row per pair, with an empty `same_person` column for the reviewer's answer."""
    if pairs.num_rows == 0:
        raise VrhubError("the last run scored no pairs to review", "Load more people records and link again.")
    cut = math.log2(threshold / (1 - threshold))
    distance = np.abs(pairs["match_weight"].to_numpy() - cut)
    nearest = np.argsort(distance, kind="stable")[:REVIEW_PAIRS]
    chosen = pairs.take(pa.array(nearest))
    records = vault.records()
    uid = np.left_shift(records["load_id"].to_numpy(), ROW_BITS) + records["row_number"].to_numpy()
    position = {int(u): i for i, u in enumerate(uid)}
    shown = {name: records[name].to_pylist() for name in _SHOWN}
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    header = ["pair", "match_probability", "match_weight"]
    header += [f"{name}_{side}" for side in ("l", "r") for name in _SHOWN] + ["same_person"]
    rows = []
    for number, row in enumerate(chosen.to_pylist(), start=1):
        left, right = position.get(int(row["uid_l"])), position.get(int(row["uid_r"]))
        if left is None or right is None:  # a record purged since the run
            continue
        rows.append(
            [number, round(row["match_probability"], 4), round(row["match_weight"], 2)]
            + [shown[name][left] for name in _SHOWN]
            + [shown[name][right] for name in _SHOWN]
            + [""]
        )
    # Names are as agencies typed them: through the spreadsheet helper, so '=cmd|...' opens as text.
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
        write_csv(handle, header, rows)
    with vault.transaction():
        vault.audit(
            "review-sample", 2 * len(chosen), {"run_id": run_id, "file": str(out), "pairs": len(chosen)}, user
        )
    return {"file": str(out), "pairs": len(chosen)}


def _one(con: duckdb.DuckDBPyConnection, query: str) -> float:
    row = con.sql(query).fetchone()
    return float(row[0]) if row else 0.0


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"

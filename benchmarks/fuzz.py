"""Issue 11's fuzzing at scale (`make bench`; docs/performance.md, "Fuzzing").

Loads FUZZ_FILES malformed files (default 1,080: 120 for each of the nine sources), made by
tests/sources/fuzzfiles.py from the seeds FUZZ_SEED, FUZZ_SEED + 1, ..., each source into its own fresh
warehouse, and checks every one as tests/sources/test_fuzz_files.py does: refused naming the file with the
warehouse unchanged, or loaded with rows read = loaded + quarantined + duplicates (and equal to Python's csv
count where the file is well-formed enough to count); never any other exception. Prints the counts and
records them in benchmarks/fuzz.json; exits 1 if any file failed.

`python benchmarks/fuzz.py police-uk 17` loads the one file of that source and seed and prints what happened.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the generator lives with the tests

from tests.sources.fuzzfiles import ALL_SOURCES, Outcome, file_for_seed, ingest_fuzzed  # noqa: E402

from vrhub.config import settings  # noqa: E402
from vrhub.hub import Hub  # noqa: E402

FILES = int(os.environ.get("FUZZ_FILES", str(120 * len(ALL_SOURCES))))
SEED = int(os.environ.get("FUZZ_SEED", "0"))
# Only for the fuzzed files' identifiers; never a real key.
KEY = "fuzz-pseudonym-key-not-for-real-use"


def refusal_kind(message: str) -> str:
    """What a refusal says, without the file, its names and numbers: `line N ends with ...`."""
    what = message.splitlines()[0]
    what = what.split("nothing loaded: ", 1)[1] if "nothing loaded: " in what else what.split(": ", 1)[-1]
    what = re.sub(r"'[^']*'(, '[^']*')*( \(\d+ columns\))?", "'...'", what)
    what = re.sub(r"(?<![-+\w])\d[\d,]*(?!\w)", "N", what)  # not the 8 of UTF-8 or U+200B
    return what[:90]


def run_source(source: str, seeds: range, template: Path, work: Path) -> tuple[list[Outcome], list[dict]]:
    folder = work / source
    shutil.copytree(template, folder)
    files = folder / "files"
    files.mkdir()
    hub = Hub(settings(data_dir=folder))
    outcomes, failures = [], []
    for seed in seeds:
        fuzzed = file_for_seed(source, seed)
        try:
            outcomes.append(ingest_fuzzed(hub, fuzzed, files))
        except Exception as exc:  # an assertion of the checks, or an exception vrhub let through
            failures.append(
                {
                    "source": source,
                    "seed": seed,
                    "file": fuzzed.describe(),
                    "error": f"{type(exc).__name__}: {exc}"[:2000],
                    "traceback": traceback.format_exc(limit=-3)[-2000:],
                }
            )
            print(f"FAILED {source} seed {seed}: {type(exc).__name__}: {str(exc)[:300]}", flush=True)
    shutil.rmtree(folder)
    return outcomes, failures


def main() -> int:
    os.environ["VRHUB_PSEUDONYM_KEY"] = KEY
    os.environ.pop("VRHUB_WAREHOUSE", None)
    started = dt.datetime.now().isoformat(timespec="seconds")
    load_before = os.getloadavg()
    start = time.perf_counter()
    per_source = -(-FILES // len(ALL_SOURCES))
    outcomes: list[Outcome] = []
    failures: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="vrhub-fuzz-") as tmp:
        work = Path(tmp)
        template = work / "template"
        Hub(settings(data_dir=template)).init()
        for source in ALL_SOURCES:
            began = time.perf_counter()
            done, failed = run_source(source, range(SEED, SEED + per_source), template, work)
            outcomes += done
            failures += failed
            print(
                f"{source}: {len(done) + len(failed)} files, {sum(1 for o in done if o.refused)} refused, "
                f"{len(failed)} failed ({time.perf_counter() - began:.0f} s)",
                flush=True,
            )
    loaded = [o for o in outcomes if o.summary is not None]
    counted = [o for o in loaded if o.expected_rows is not None]
    kinds = collections.Counter(refusal_kind(o.refused) for o in outcomes if o.refused)
    result = {
        "files": len(outcomes) + len(failures),
        "seeds": [SEED, SEED + per_source - 1],
        "per_source": per_source,
        "refused": sum(1 for o in outcomes if o.refused),
        "loaded": len(loaded),
        "already_loaded": sum(1 for o in loaded if o.summary and o.summary.already_loaded),
        "rows_read": sum(o.summary.rows_read for o in loaded if o.summary),
        "rows_loaded": sum(o.summary.rows_loaded for o in loaded if o.summary),
        "rows_quarantined": sum(o.summary.rows_quarantined for o in loaded if o.summary),
        "duplicates_skipped": sum(o.summary.duplicates_skipped for o in loaded if o.summary),
        "loaded_files_with_rows_counted_by_csv": len(counted),
        "rows_counted_by_csv": sum(o.expected_rows or 0 for o in counted),
        "failures": len(failures),
        "seconds": round(time.perf_counter() - start, 1),
        "refusals": dict(kinds.most_common()),
        "failed": failures,
        "machine": {
            "date": started,
            "nproc": len(os.sched_getaffinity(0)),
            "python": platform.python_version(),
            "duckdb": metadata.version("duckdb"),
            "vrhub_commit": subprocess.run(
                ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=HERE
            ).stdout.strip()
            or None,
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
        },
    }
    print(json.dumps({k: v for k, v in result.items() if k not in ("failed", "refusals")}, indent=1))
    print("refusals, by what they say:")
    for kind, n in kinds.most_common():
        print(f"  {n:5d}  {kind}")
    (HERE / "fuzz.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return 1 if failures else 0


def one(source: str, seed: int) -> int:
    """Load one fuzzed file into a fresh warehouse and say what happened (to look into a failure)."""
    os.environ["VRHUB_PSEUDONYM_KEY"] = KEY
    fuzzed = file_for_seed(source, seed)
    print(fuzzed.describe())
    print(repr(fuzzed.data[:2000]))
    with tempfile.TemporaryDirectory(prefix="vrhub-fuzz-") as tmp:
        hub = Hub(settings(data_dir=tmp))
        hub.init()
        files = Path(tmp) / "files"
        files.mkdir()
        outcome = ingest_fuzzed(hub, fuzzed, files)
    print(f"refused: {outcome.refused}" if outcome.refused else f"loaded: {outcome.summary}")
    print(f"rows by Python's csv module: {outcome.expected_rows}")
    return 0


if __name__ == "__main__":
    sys.exit(one(sys.argv[1], int(sys.argv[2])) if len(sys.argv) == 3 else main())

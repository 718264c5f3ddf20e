"""police.uk rows with a planted fall, written as a file to load: 40 Knowsley LSOAs, 2019-2021, about 8
violent crimes a month each; from 2021-01 the first three have 40% fewer."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vrhub.geography import load_lsoa_boundaries

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
KNOWSLEY = "E08000011"
MONTHS = [f"{y}-{m:02d}" for y in (2019, 2020, 2021) for m in range(1, 13)]
FALL = 0.6


def knowsley_lsoas() -> list[tuple[str, str]]:
    """Knowsley LSOAs whose code is the same in 2011 and 2021 (so the panel is on 2011 boundaries)."""
    b11, b21 = load_lsoa_boundaries(2011), load_lsoa_boundaries(2021)
    both = b11[(b11["lad_code"] == KNOWSLEY) & b11["lsoa_code"].isin(b21["lsoa_code"])]
    return list(both.sort_values("lsoa_code")[["lsoa_code", "lsoa_name"]].itertuples(index=False, name=None))


def write_planted_police_uk(path: Path, seed: int = 14) -> list[str]:
    """Write the file; return the treated LSOAs. Every other Knowsley LSOA has no rows."""
    rng = np.random.default_rng(seed)
    areas = knowsley_lsoas()[:40]
    treated = [code for code, _ in areas[:3]]
    lines, n = [HEADER], 0
    for code, name in areas:
        level = rng.uniform(6, 10)
        for month in MONTHS:
            lam = level * (FALL if code in treated and month >= "2021-01" else 1.0)
            for _ in range(rng.poisson(lam)):
                n += 1
                lines.append(
                    f"{n:064x},{month},Merseyside Police,Merseyside Police,-2.85,53.43,On or near X,{code},"
                    f"{name},Violence and sexual offences,Under investigation,"
                )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return treated

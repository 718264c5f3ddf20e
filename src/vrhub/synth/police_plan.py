"""Crime-level plan for the police extract: how many crimes of each offence code and flag combination, and
the constraints on the people recorded on them, so that the published counts hold exactly.

A plan is a dict of equal-length numpy arrays, one element per crime:
year, code (index into CODES), knife, firearm, domestic, n_vict, n_susp,
vmode (victims: 0 free, 1 exactly one under-25 victim, 2 all victims 25+),
smode (suspects: 0 free, 1 all under 25, 2 all 25+ or unknown).
"""

from __future__ import annotations

import numpy as np

from vrhub.synth import targets as T
from vrhub.synth._common import YEARS, apportion

HOMICIDE = ("1", "4.1", "4.2", "4.10")
ALWAYS_SV = HOMICIDE + ("2", "5D", "56A", "34A", "34B")
# fmt: off
FLAGGED_SV = HOMICIDE + ("2", "5D", "34A", "34B", "3B", "8N", "8P", "8S", "19C", "19D", "19E", "19F", "19G",
                         "19H", "20A", "20B", "17A", "17B", "5E", "10D", "10A")
VAP = HOMICIDE + ("2", "5D", "5E", "3B", "8N", "8P", "8S", "105A", "105B", "104", "11A", "8L", "8R", "8Q",
                  "8M")
# fmt: on
WEAPONS = ("10D", "10A", "10C", "10B", "81", "90")

# code: (share domestic, victims 0/1/2/3 probabilities, suspects 0/1/2/3, under-25 victim propensity,
#        male victim share)
_VIOLENCE = ((0.02, 0.88, 0.08, 0.02), (0.25, 0.57, 0.13, 0.05))
PROFILES: dict[str, tuple] = {
    "1": (0, (0, 1, 0, 0), (0.1, 0.55, 0.25, 0.1), 1.0, 0.78),
    "4.1": (0, (0, 1, 0, 0), (0.15, 0.65, 0.15, 0.05), 1.0, 0.75),
    "4.2": (1, (0, 1, 0, 0), (0, 1, 0, 0), 1.0, 0.5),
    "4.10": (0, (0, 1, 0, 0), (1, 0, 0, 0), 0.5, 0.9),
    "2": (0.12, (0, 1, 0, 0), (0.15, 0.55, 0.22, 0.08), 1.2, 0.75),
    "5D": (0.18, *_VIOLENCE, 1.1, 0.76),
    "5E": (0.1, *_VIOLENCE, 1.0, 0.6),
    "3B": (0.3, *_VIOLENCE, 0.9, 0.55),
    "8N": (0.32, *_VIOLENCE, 1.0, 0.72),
    "8P": (0.02, *_VIOLENCE, 1.0, 0.65),
    "8S": (0, *_VIOLENCE, 0.25, 0.7),
    "34B": (0.01, (0, 0.93, 0.07, 0), (0.35, 0.4, 0.18, 0.07), 1.8, 0.8),
    "34A": (0, (0.05, 0.9, 0.05, 0), (0.3, 0.45, 0.18, 0.07), 0.7, 0.45),
    "56A": (0.25, (0.05, 0.7, 0.18, 0.07), (0.45, 0.5, 0.05, 0), 0.8, 0.5),
    "10A": (0, (0.7, 0.3, 0, 0), (0.1, 0.65, 0.2, 0.05), 1.3, 0.85),
    "10D": (0.02, (1, 0, 0, 0), (0.06, 0.82, 0.12, 0), 1.5, 0.8),
    "20A": (0.3, (0, 1, 0, 0), (0.2, 0.75, 0.05, 0), 1.3, 0),
    "19C": (0.45, (0, 1, 0, 0), (0.15, 0.8, 0.05, 0), 1.2, 0),
    "17A": (0.2, (0, 1, 0, 0), (0.2, 0.75, 0.05, 0), 1.3, 1),
    "105A": (0.35, *_VIOLENCE, 1.0, 0.55),
    "105B": (0.02, *_VIOLENCE, 1.0, 0.65),
    "104": (0, *_VIOLENCE, 0.25, 0.7),
    "11A": (0.9, (0, 0.85, 0.15, 0), (0.1, 0.6, 0.3, 0), 1.0, 0.5),
    "8L": (0.4, (0, 0.97, 0.03, 0), (0.1, 0.85, 0.05, 0), 0.8, 0.35),
    "8R": (0.3, (0, 0.97, 0.03, 0), (0.2, 0.78, 0.02, 0), 0.9, 0.4),
    "8Q": (0.65, (0, 1, 0, 0), (0.05, 0.95, 0, 0), 0.8, 0.2),
    "8M": (0.02, (0, 0.97, 0.03, 0), (0.2, 0.78, 0.02, 0), 0.8, 0.6),
    "33": (0, (1, 0, 0, 0), (0.05, 0.8, 0.12, 0.03), 1.0, 0.5),
    "99": (0, (1, 0, 0, 0), (0.05, 0.9, 0.05, 0), 1.0, 0.5),
    "83": (0, (1, 0, 0, 0), (0, 1, 0, 0), 1.0, 0.5),
    "79": (0, (0.7, 0.3, 0, 0), (0.05, 0.9, 0.05, 0), 0.8, 0.5),
    "59": (0.3, (0, 0.95, 0.05, 0), (0.2, 0.8, 0, 0), 0.8, 0.5),
    "80": (0, (1, 0, 0, 0), (0, 1, 0, 0), 1.0, 0.5),
    "10C": (0.02, (0.9, 0.1, 0, 0), (0.04, 0.86, 0.1, 0), 1.0, 0.75),
    "90": (0, (1, 0, 0, 0), (0.1, 0.9, 0, 0), 1.0, 0.5),
    "10B": (0, (1, 0, 0, 0), (0.05, 0.85, 0.1, 0), 1.0, 0.5),
    "81": (0, (1, 0, 0, 0), (0.08, 0.85, 0.07, 0), 1.0, 0.5),
    "58D": (0.2, (0.05, 0.9, 0.05, 0), (0.6, 0.32, 0.06, 0.02), 0.8, 0.5),
    "58A": (0.3, (0.02, 0.93, 0.05, 0), (0.55, 0.38, 0.05, 0.02), 0.7, 0.45),
    "58C": (0.15, (0.02, 0.95, 0.03, 0), (0.7, 0.25, 0.04, 0.01), 0.6, 0.55),
    "56B": (0.15, (0.1, 0.85, 0.05, 0), (0.7, 0.27, 0.03, 0), 0.7, 0.5),
    "9A": (0.05, (0.3, 0.65, 0.05, 0), (0.15, 0.7, 0.12, 0.03), 1.1, 0.55),
    "9B": (0, (0.2, 0.75, 0.05, 0), (0.15, 0.7, 0.12, 0.03), 1.1, 0.6),
    "62A": (0, (0.5, 0.4, 0.1, 0), (0, 0.2, 0.4, 0.4), 1.2, 0.7),
}
CODES = tuple(PROFILES)
# Victim age limits by code (victims of 8S/104 are police officers).
VICTIM_AGES = {
    "4.2": (0, 0),
    "11A": (0, 15),
    "20A": (13, 100),
    "19C": (16, 100),
    "17A": (13, 100),
    "8S": (19, 64),
    "104": (19, 64),
}


def is_sv(code: np.ndarray, knife: np.ndarray, firearm: np.ndarray) -> np.ndarray:
    """The Merseyside local serious-violence rule, per crime (code is an index into CODES)."""
    return np.isin(code, _in(ALWAYS_SV)) | (np.isin(code, _in(FLAGGED_SV)) & (knife | firearm))


def _in(codes: tuple[str, ...]) -> list[int]:
    return [CODES.index(c) for c in codes if c in CODES]


class _Plan:
    """Collects strata (code, flags, count, modes) and turns them into crime arrays."""

    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []

    def add(
        self,
        year: int,
        code: str,
        n: int,
        knife: float = 0,
        firearm: float = 0,
        *,
        rng: np.random.Generator,
        domestic: float | None = None,
        vmode: int = 0,
        smode: int = 0,
        n_vict: int | None = None,
    ) -> None:
        if n <= 0:
            return
        u = rng.random(n)
        kn = u < knife
        fa = (u >= 1 - firearm) & ~kn  # knife and firearm shares never overlap
        dom_p = PROFILES[code][0] if domestic is None else domestic
        self.parts.append(
            {
                "year": np.full(n, year, np.int16),
                "code": np.full(n, CODES.index(code), np.int16),
                "knife": kn,
                "firearm": fa,
                "domestic": rng.random(n) < dom_p,
                "vmode": np.full(n, vmode, np.int8),
                "smode": np.full(n, smode, np.int8),
                "n_vict": np.full(n, -1 if n_vict is None else n_vict, np.int8),
            }
        )

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}


def _homicides(plan: _Plan, year: int, rng: np.random.Generator) -> None:
    knife_u25 = T.NON_DOMESTIC_KNIFE_HOMICIDE_U25[year]
    plan.add(year, "1", knife_u25, knife=1, rng=rng, domestic=0, vmode=1)
    others = T.NON_DOMESTIC_HOMICIDE[year] - knife_u25 - (year == 2021)
    manslaughter = others // 5
    # Non-domestic homicides with a knife outside the published count have victims aged 25+.
    plan.add(year, "1", others - manslaughter, knife=0.45, rng=rng, domestic=0, vmode=2)
    plan.add(year, "4.1", manslaughter, knife=0.2, rng=rng, domestic=0, vmode=2)
    plan.add(year, "4.10", int(year == 2021), rng=rng, domestic=0, vmode=2)
    plan.add(year, "4.2", int(year == 2020), rng=rng, domestic=1, vmode=1)
    plan.add(year, "1", T.DOMESTIC_HOMICIDE[year] - (year == 2020), knife=0.5, rng=rng, domestic=1)


def _knife_possession(plan: _Plan, year: int, rng: np.random.Generator) -> None:
    n, victim_u25, suspect_u25 = (
        T.KNIFE_10D[year],
        T.KNIFE_10D_VICTIM_U25[year],
        T.KNIFE_10D_SUSPECT_U25[year],
    )
    plan.add(year, "10D", n, knife=1, rng=rng)
    part = plan.parts[-1]
    order = rng.permutation(n)
    adult_victims = int(round(0.05 * (n - victim_u25)))
    part["vmode"][order[:victim_u25]] = 1
    part["vmode"][order[victim_u25 : victim_u25 + adult_victims]] = 2
    part["n_vict"][:] = 0
    part["n_vict"][order[: victim_u25 + adult_victims]] = 1
    part["smode"][:] = 2
    part["smode"][rng.permutation(n)[:suspect_u25]] = 1


def _group(crimes: dict[str, np.ndarray], year: int, codes: tuple[str, ...]) -> int:
    return int(((crimes["year"] == year) & np.isin(crimes["code"], _in(codes))).sum())


def demo_crimes(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The exact plan for April 2018 to December 2021 (see targets.py)."""
    sv_plan = _Plan()
    for year in YEARS:
        _homicides(sv_plan, year, rng)
        _knife_possession(sv_plan, year, rng)
        for key, by_year in T.SV_STRATA.items():
            code = key.split("_")[0]
            knife, firearm = {
                "2": (0.6, 0.12),
                "5D": (0.35, 0.02),
                "34B": (0.18, 0.02),
                "34A": (0.25, 0.06),
                "56A": (0, 0),
                "10A": (0, 1),
                "8N_firearm": (0, 1),
            }.get(key, (1, 0))
            sv_plan.add(year, code, by_year[year], knife, firearm, rng=rng)
        if year == 2021:
            for code, n in T.SEXUAL_2021_CODES.items():
                sv_plan.add(year, code, n, knife=1, rng=rng)
        # the knife-enabled assault with injury stratum takes what is left of the published SV total
        rest = T.SV_OFFENCES[year] - sum(int((p["year"] == year).sum()) for p in sv_plan.parts)
        if rest <= 0:
            raise ValueError(f"the chosen serious-violence strata exceed the {year} total")
        sv_plan.add(year, "8N", rest, knife=1, rng=rng, domestic=0.2)
    sv = sv_plan.arrays()

    non_sv = dict(T.NON_SV_VAP)
    vap20 = _group(sv, 2020, VAP) + non_sv[2020]
    non_sv[2021] = round(vap20 * (1 + T.VAP_CHANGE_2021 / 100)) - _group(sv, 2021, VAP)
    weapons = dict(T.NON_SV_WEAPONS)
    pow20 = _group(sv, 2020, WEAPONS) + weapons[2020]
    weapons[2021] = round(pow20 * (1 + T.WEAPONS_CHANGE_2021 / 100)) - _group(sv, 2021, WEAPONS)

    plan = _Plan()
    plan.parts = list(sv_plan.parts)
    for year in YEARS:
        for totals, mix in (
            (non_sv, T.NON_SV_VAP_MIX),
            (T.MISC, T.MISC_MIX),
            (weapons, T.NON_SV_WEAPONS_MIX),
            (T.DAMAGE, T.DAMAGE_MIX),
            (T.PUBLIC_ORDER, T.PUBLIC_ORDER_MIX),
        ):
            for code, n in apportion(totals[year], mix).items():
                knife, firearm = {"90": (1, 0), "10B": (0, 1), "81": (0, 0.6)}.get(code, (0, 0))
                plan.add(year, code, n, knife, firearm, rng=rng, smode=2 if code == "11A" else 0)
    crimes = plan.arrays()
    people_counts(crimes, rng)
    return crimes


def people_counts(crimes: dict[str, np.ndarray], rng: np.random.Generator) -> None:
    """Number of victims and suspects per crime, from the code profile unless fixed by the plan."""
    n = len(crimes["code"])
    vcum = np.cumsum([PROFILES[c][1] for c in CODES], axis=1)
    scum = np.cumsum([PROFILES[c][2] for c in CODES], axis=1)
    code = crimes["code"]
    n_vict = (rng.random(n)[:, None] * vcum[code, -1:] >= vcum[code]).sum(axis=1).astype(np.int8)
    n_susp = (rng.random(n)[:, None] * scum[code, -1:] >= scum[code]).sum(axis=1).astype(np.int8)
    fixed = crimes["n_vict"] >= 0
    crimes["n_vict"] = np.where(fixed, crimes["n_vict"], n_vict).astype(np.int8)
    crimes["n_vict"][crimes["vmode"] == 1] = 1  # exactly one (under-25) victim
    n_susp[(crimes["smode"] == 1) & (n_susp == 0)] = 1  # an under-25 suspect needs a suspect
    crimes["n_susp"] = np.minimum(n_susp, 3).astype(np.int8)

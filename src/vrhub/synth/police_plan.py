"""Crime-level plan for the police extract: how many crimes of each offence code and flag combination, and
the constraints on the people recorded on them, so that the published counts hold exactly.

A plan is a dict of equal-length numpy arrays, one element per crime:
year, code (index into CODES), knife, firearm, domestic, n_vict, n_susp,
vmode (victims: 0 free, 1 exactly one under-25 victim, 2 all victims 25+),
smode (suspects: 0 free, 1 all under 25, 2 all 25+ or unknown).
"""

from __future__ import annotations

import functools

import numpy as np

from vrhub.definitions.offences import group_codes
from vrhub.synth import targets as T
from vrhub.synth._common import YEARS, apportion

HOMICIDE = ("1", "4.1", "4.2", "4.10")
# The ONS offence groups Table 2's serious-violence totals count (definition merseyside_offence_groups).
TABLE2_GROUPS = ("violence-against-the-person", "possession-of-weapons-offences",
                 "miscellaneous-crimes-against-society")  # fmt: skip

# code: (share domestic, victims 0/1/2/3 probabilities, suspects 0/1/2/3, under-25 victim propensity,
#        male victim share)
_VIOLENCE = ((0.02, 0.88, 0.08, 0.02), (0.25, 0.57, 0.13, 0.05))
PROFILES: dict[str, tuple] = {
    "1": (0, (0, 1, 0, 0), (0.1, 0.55, 0.25, 0.1), 1.0, 0.78),
    "4.1": (0, (0, 1, 0, 0), (0.15, 0.65, 0.15, 0.05), 1.0, 0.75),
    "4.2": (1, (0, 1, 0, 0), (0, 1, 0, 0), 1.0, 0.5),
    "4.10": (0, (0, 1, 0, 0), (1, 0, 0, 0), 0.5, 0.9),
    "2": (0.12, (0, 1, 0, 0), (0.15, 0.55, 0.22, 0.08), 1.2, 0.75),
    "5D": (0.15, *_VIOLENCE, 1.1, 0.76),
    "5E": (0.05, *_VIOLENCE, 1.0, 0.6),
    "3B": (0.4, *_VIOLENCE, 0.9, 0.55),
    "8N": (0.38, *_VIOLENCE, 1.0, 0.62),
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
    "105A": (0.36, *_VIOLENCE, 1.0, 0.55),
    "105B": (0.02, *_VIOLENCE, 1.0, 0.65),
    "104": (0, *_VIOLENCE, 0.25, 0.7),
    "11A": (0.2, (0, 0.85, 0.15, 0), (0.1, 0.6, 0.3, 0), 1.0, 0.5),
    "8L": (0.3, (0, 0.97, 0.03, 0), (0.1, 0.85, 0.05, 0), 0.8, 0.35),
    "8R": (0.25, (0, 0.97, 0.03, 0), (0.2, 0.78, 0.02, 0), 0.9, 0.4),
    "8Q": (0.55, (0, 1, 0, 0), (0.05, 0.95, 0, 0), 0.8, 0.2),
    "8M": (0.03, (0, 0.97, 0.03, 0), (0.2, 0.78, 0.02, 0), 0.8, 0.6),
    "4.4": (0, (0, 1, 0, 0), (0.05, 0.95, 0, 0), 1.0, 0.6),
    "4.8": (0, (0, 1, 0, 0), (0.05, 0.95, 0, 0), 0.8, 0.6),
    "36": (0.3, (0, 0.95, 0.05, 0), (0.2, 0.6, 0.15, 0.05), 1.1, 0.4),
    "106": (0, (0.1, 0.7, 0.15, 0.05), (0.3, 0.5, 0.15, 0.05), 1.2, 0.6),
    "13": (0.2, (0, 1, 0, 0), (0.1, 0.9, 0, 0), 1.0, 0.5),
    "33": (0, (1, 0, 0, 0), (0.05, 0.8, 0.12, 0.03), 1.0, 0.5),
    "99": (0, (1, 0, 0, 0), (0.05, 0.9, 0.05, 0), 1.0, 0.5),
    "83": (0, (1, 0, 0, 0), (0, 1, 0, 0), 1.0, 0.5),
    "79": (0, (0.7, 0.3, 0, 0), (0.05, 0.9, 0.05, 0), 0.8, 0.5),
    "59": (0.3, (0, 0.95, 0.05, 0), (0.2, 0.8, 0, 0), 0.8, 0.5),
    "80": (0, (1, 0, 0, 0), (0, 1, 0, 0), 1.0, 0.5),
    "86": (0, (1, 0, 0, 0), (0.05, 0.95, 0, 0), 1.0, 0.5),
    "802": (0, (0.8, 0.2, 0, 0), (0.1, 0.9, 0, 0), 1.0, 0.5),
    "54": (0, (1, 0, 0, 0), (0.1, 0.85, 0.05, 0), 1.0, 0.5),
    "61A": (0, (1, 0, 0, 0), (0.1, 0.9, 0, 0), 1.0, 0.5),
    "61": (0, (1, 0, 0, 0), (0.1, 0.9, 0, 0), 1.0, 0.5),
    "38": (0, (1, 0, 0, 0), (0.1, 0.9, 0, 0), 1.0, 0.5),
    "95": (0, (1, 0, 0, 0), (0.1, 0.9, 0, 0), 1.0, 0.5),
    "96": (0, (1, 0, 0, 0), (0.1, 0.9, 0, 0), 1.0, 0.5),
    "27": (0, (1, 0, 0, 0), (0.1, 0.9, 0, 0), 1.0, 0.5),
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
    "13": (0, 15),
    "20A": (13, 100),
    "19C": (16, 100),
    "17A": (13, 100),
    "8S": (19, 64),
    "104": (19, 64),
}


@functools.cache
def _table2_codes() -> list[int]:
    codes = {c for g in TABLE2_GROUPS for c in group_codes(g)}
    return [i for i, c in enumerate(CODES) if c in codes]


def in_table2_groups(code: np.ndarray) -> np.ndarray:
    """Per crime (code is an index into CODES): counted by Table 2's serious-violence rows."""
    return np.isin(code, _table2_codes())


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
    plan.add(year, "10D", n, *T.FLAGS["10D"], rng=rng)
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


def _add_mix(plan: _Plan, year: int, total: int, mix: dict[str, float], rng: np.random.Generator) -> None:
    for code, n in apportion(total, mix).items():
        plan.add(year, code, n, *T.FLAGS.get(code, (0, 0)), rng=rng)


def demo_crimes(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The exact plan for April 2018 to December 2021 (see targets.py for what is real and what chosen)."""
    weapons, misc = dict(T.WEAPONS_GROUP), dict(T.MISC_GROUP)
    weapons[2021] = round(weapons[2020] * (1 + T.WEAPONS_CHANGE_2021 / 100))
    misc[2021] = round(misc[2020] * (1 + T.MISC_CHANGE_2021 / 100))
    plan = _Plan()
    for year in YEARS:
        _homicides(plan, year, rng)
        _knife_possession(plan, year, rng)
        plan.add(year, "2", T.ATTEMPTED_MURDER[year], *T.FLAGS["2"], rng=rng)
        _add_mix(plan, year, weapons[year] - T.KNIFE_10D[year], T.WEAPONS_MIX, rng)
        _add_mix(plan, year, misc[year], T.MISC_MIX, rng)
        fixed = sum(int(((p["year"] == year) & in_table2_groups(p["code"])).sum()) for p in plan.parts)
        rest = T.SV_OFFENCES[year] - fixed  # the rest of violence against the person
        if rest <= 0:
            raise ValueError(f"the fixed offence counts exceed the {year} serious-violence total")
        for subgroup, n in apportion(rest, T.VAP_SUBGROUPS).items():
            _add_mix(plan, year, n, T.VAP_MIX[subgroup], rng)
        _add_mix(plan, year, T.ROBBERY[year], T.ROBBERY_MIX, rng)
        plan.add(year, "56A", T.ARSON_ENDANGERING_LIFE[year], rng=rng)
        _add_mix(plan, year, T.DAMAGE[year], T.DAMAGE_MIX, rng)
        _add_mix(plan, year, T.PUBLIC_ORDER[year], T.PUBLIC_ORDER_MIX, rng)
        if year == 2021:
            for code, n in T.SEXUAL_2021_CODES.items():
                plan.add(year, code, n, knife=1, rng=rng)
    crimes = plan.arrays()
    crimes["smode"][crimes["code"] == CODES.index("11A")] = 2  # cruelty to children: adult suspects
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

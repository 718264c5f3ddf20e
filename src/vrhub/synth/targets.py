"""The counts the demo data reproduce exactly: the Merseyside VRP strategy's published figures, plus the free
numbers chosen where the strategy publishes none (marked "chosen"). 2018 means April-December 2018.

Borough order everywhere: Knowsley, Liverpool, St Helens, Sefton, Wirral (as `_common.BOROUGH_CODES`).
"""

from __future__ import annotations

# ---------------------------------------------------------------- police records
SV_OFFENCES = {2018: 25431, 2019: 36875, 2020: 39386, 2021: 40490}
KNIFE_10D = {2018: 387, 2019: 634, 2020: 673, 2021: 529}
KNIFE_10D_SUSPECT_U25 = {2018: 158, 2019: 267, 2020: 242, 2021: 205}  # 2018 chosen
KNIFE_10D_VICTIM_U25 = {2018: 11, 2019: 48, 2020: 70, 2021: 34}  # one under-25 victim on each such crime
SV_VICTIMS_U25 = {2018: 6325, 2019: 9234, 2020: 9509, 2021: 11680}
NON_DOMESTIC_HOMICIDE = {2018: 10, 2019: 14, 2020: 13, 2021: 19}  # 2018 chosen
NON_DOMESTIC_KNIFE_HOMICIDE_U25 = {2018: 1, 2019: 0, 2020: 1, 2021: 2}  # 2018 chosen
DOMESTIC_HOMICIDE = {2018: 3, 2019: 5, 2020: 6, 2021: 4}  # chosen

# Violence against the person (all police records, SV or not), 2021 vs 2020, and the other group figures.
VAP_CHANGE_2021 = 17
MISC_CHANGE_2021 = 6
WEAPONS_CHANGE_2021 = -7
SEXUAL_2021 = 9  # none in 2018-2020

# Chosen: other serious-violence strata per year (the 8N knife/firearm-enabled stratum takes the remainder).
SV_STRATA = {
    # code: {year: count}
    "2": {2018: 28, 2019: 41, 2020: 38, 2021: 44},
    "5D": {2018: 1880, 2019: 2710, 2020: 2650, 2021: 2930},
    "34B": {2018: 1390, 2019: 1910, 2020: 1560, 2021: 1420},
    "34A": {2018: 185, 2019: 262, 2020: 214, 2021: 188},
    "56A": {2018: 92, 2019: 131, 2020: 126, 2021: 108},
    "10A": {2018: 41, 2019: 57, 2020: 61, 2021: 54},
    "5E": {2018: 19, 2019: 27, 2020: 31, 2021: 33},
    "3B": {2018: 660, 2019: 955, 2020: 1012, 2021: 1083},
    "8P": {2018: 29, 2019: 43, 2020: 38, 2021: 46},
    "8S": {2018: 17, 2019: 26, 2020: 29, 2021: 31},
    "8N_firearm": {2018: 52, 2019: 79, 2020: 74, 2021: 69},
}
SEXUAL_2021_CODES = {"20A": 5, "19C": 3, "17A": 1}

# Chosen: crimes that are not serious violence (the extract holds them too).
NON_SV_VAP = {2018: 12400, 2019: 16900, 2020: 18000}  # 2021 follows from the +17% group change
NON_SV_VAP_MIX = {
    "8N": 0.33,
    "105A": 0.33,
    "8L": 0.10,
    "8R": 0.08,
    "3B": 0.05,
    "8Q": 0.05,
    "104": 0.03,
    "105B": 0.015,
    "11A": 0.01,
    "8M": 0.005,
}
MISC = {2018: 455, 2019: 618, 2020: 600, 2021: 636}
MISC_MIX = {"33": 0.35, "99": 0.2, "83": 0.2, "79": 0.1, "59": 0.1, "80": 0.05}
NON_SV_WEAPONS = {2018: 955, 2019: 1330, 2020: 1340}  # 2021 follows from the -7% group change
NON_SV_WEAPONS_MIX = {"10C": 0.55, "90": 0.12, "10B": 0.15, "81": 0.18}
DAMAGE = {2018: 1090, 2019: 1495, 2020: 1410, 2021: 1452}
DAMAGE_MIX = {"58D": 0.4, "58A": 0.25, "58C": 0.2, "56B": 0.15}
PUBLIC_ORDER = {2018: 905, 2019: 1248, 2020: 1302, 2021: 1497}
PUBLIC_ORDER_MIX = {"9A": 0.8, "9B": 0.12, "62A": 0.08}

# ---------------------------------------------------------------- ED attendances (ISTV)
ED_TOTAL = {2018: 3296, 2019: 4392, 2020: 3748, 2021: 4107}  # 2018, 2019 chosen
# Borough counts chosen so every published 2021 vs 2020 change holds (+5, +13, +6, +2, +22 %).
ED_BOROUGH = {2020: [503, 1473, 489, 846, 437], 2021: [529, 1664, 518, 863, 533]}
ED_METHODS = (
    "fists",
    "feet",
    "body_parts",
    "knife",
    "other_sharp",
    "blunt_object",
    "glass_bottle",
    "firearm",
    "other",
    "not_specified",
)
ED_METHOD_COUNTS = {  # knife + other_sharp are published (309, 293, 148); 2020 shares and 2021 changes too
    2018: [948, 370, 852, 125, 105, 238, 142, 4, 196, 316],
    2019: [1268, 492, 1131, 165, 144, 312, 188, 6, 262, 424],
    2020: [1012, 420, 937, 149, 144, 260, 150, 6, 220, 450],
    2021: [678, 540, 600, 122, 26, 340, 200, 6, 285, 1310],
}
ED_KNIFE_U25 = {2018: 48, 2019: 75, 2020: 59, 2021: 53}  # 2018 chosen
ED_OTHER_SHARP_U25 = {2018: 22, 2019: 31, 2020: 51, 2021: 9}  # = published knife-or-sharp u25 minus knife u25
ED_SITES = ("RQ601", "REM21", "RBN01", "RVY02", "RBL14", "RBS25")

# ---------------------------------------------------------------- ambulance
AMBULANCE_TOTAL = {2018: 2064, 2019: 2793, 2020: 2260, 2021: 2484}  # 2018, 2019 chosen
AMBULANCE_U25 = {2018: 532, 2019: 709, 2020: 523, 2021: 477}  # 2018 chosen

# ---------------------------------------------------------------- fire
FIRE_TOTAL = {2018: 2871, 2019: 3742, 2020: 3606, 2021: 3890}  # 2018, 2019 chosen
# Borough counts chosen so every published 2021 vs 2020 change holds (-12, +7, +26, -8, +21 %).
FIRE_BOROUGH = {2020: [426, 1298, 472, 602, 808], 2021: [374, 1389, 595, 554, 978]}

# ---------------------------------------------------------------- hospital admissions (chosen, HES-like)
HOSPITAL_CAUSES = {  # ICD-10 external cause: admissions in a full year
    "X99": 300,
    "Y04": 560,
    "Y00": 225,
    "Y09": 330,
    "Y08": 95,
    "X91": 9,
    "Y07": 24,
    "Y05": 14,
    "X95": 4,
    "X93": 1,
    "X94": 1,
    "X85": 3,
    "X97": 3,
    "X98": 2,
    "Y01": 2,
    "Y03": 3,
    "Y06": 4,
}


def _check() -> None:
    """The hand-chosen splits must add up to the totals they split."""
    for year, total in ED_TOTAL.items():
        if sum(ED_METHOD_COUNTS[year]) != total or (year in ED_BOROUGH and sum(ED_BOROUGH[year]) != total):
            raise ValueError(f"ED counts for {year} do not add up to {total}")
    for year, counts in FIRE_BOROUGH.items():
        if sum(counts) != FIRE_TOTAL[year]:
            raise ValueError(f"fire borough counts for {year} do not add up to {FIRE_TOTAL[year]}")
    for year, u25 in AMBULANCE_U25.items():
        if not 0 <= u25 <= AMBULANCE_TOTAL[year]:
            raise ValueError(f"ambulance under-25 count for {year} is out of range")


_check()

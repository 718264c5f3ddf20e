"""The counts the demo data reproduce exactly: the Merseyside VRP strategy's published figures, plus the free
numbers chosen where the strategy publishes none (marked "chosen"). 2018 means April-December 2018.

Borough order everywhere: Knowsley, Liverpool, St Helens, Sefton, Wirral (as `_common.BOROUGH_CODES`).
"""

from __future__ import annotations

# ---------------------------------------------------------------- police records
# Published: Table 2's serious-violence totals, read (as measure local_sv_offences does) as every offence in
# the ONS offence groups violence against the person (VAP), possession of weapons and miscellaneous crimes
# against society; the 10D, homicide and under-25 rows of Tables 1 and 2.
SV_OFFENCES = {2018: 25431, 2019: 36875, 2020: 39386, 2021: 40490}
KNIFE_10D = {2018: 387, 2019: 634, 2020: 673, 2021: 529}
KNIFE_10D_SUSPECT_U25 = {2018: 158, 2019: 267, 2020: 242, 2021: 205}  # 2018 chosen
KNIFE_10D_VICTIM_U25 = {2018: 11, 2019: 48, 2020: 70, 2021: 34}  # one under-25 victim on each such crime
SV_VICTIMS_U25 = {2018: 6325, 2019: 9234, 2020: 9509, 2021: 11680}  # victims under 25 in the three groups
NON_DOMESTIC_HOMICIDE = {2018: 10, 2019: 14, 2020: 13, 2021: 19}  # 2018 chosen
NON_DOMESTIC_KNIFE_HOMICIDE_U25 = {2018: 1, 2019: 0, 2020: 1, 2021: 2}  # 2018 chosen
DOMESTIC_HOMICIDE = {2018: 3, 2019: 5, 2020: 6, 2021: 4}  # chosen

# Published group changes, 2021 vs 2020. Misc and weapons hold exactly. VAP +17% cannot hold beside the
# published totals: the three groups make up the total, so its change (40,490 / 39,386 = +2.8%) is their
# changes weighted by their 2020 sizes, and +2.8% from +17%, +6% and -7% needs possession of weapons to be
# over half the total (Merseyside's is about 4%). The group changes fit the narrative's "+15% (6,059 more
# offences)", not 40,490; the demo keeps the published counts, so VAP comes out near +3%.
VAP_CHANGE_2021 = 17
MISC_CHANGE_2021 = 6
WEAPONS_CHANGE_2021 = -7
SEXUAL_2021 = 9  # none in 2018-2020: "sexual offences did not have their own category in 2020"
SEXUAL_2021_CODES = {"20A": 5, "19C": 3, "17A": 1}  # knife-enabled, as the appendix lists them

# ---- The offence mix. What is real and what is chosen:
# Real (police.uk, Merseyside, September-December 2019, ../shared/realdata/police-uk): a month has about
#   4,350 violence and sexual offences, 205 "other crime" (mostly miscellaneous crimes against society),
#   117 possession of weapons and 118 robberies; so about 1,400 possession of weapons offences and 1,400
#   robberies a year. 10D is 634 in 2019 (published), about 45% of the weapons group, as in England and Wales.
# Real (ONS, Crime in England and Wales, police recorded crime, years ending December 2019 to 2021, rounded):
#   VAP is about 26% violence with injury, 41% violence without injury, 33% stalking and harassment; within
#   violence with injury, assault with injury (8N) about 88% and s18 GBH (5D) about 6%; within violence
#   without injury, common assault (105A) about 79%; within stalking and harassment, malicious
#   communications about 44% and harassment 40%; about a third of VAP is flagged domestic abuse (ONS, Domestic
#   abuse in England and Wales); knife or sharp instrument offences are a few % of assault with injury,
#   about 30% of s18 GBH, 20-25% of robbery and 40% of homicide; firearms are rarer still.
# Chosen: the sizes of the weapons and miscellaneous groups (near the police.uk rates above, each year's 2021
#   from the published change); the finer splits below, each a round share near the ONS national one; the
#   damage and public order counts (the extract is not all recorded crime: it holds the three groups in full,
#   robbery, arson endangering life and a share of damage and public order for context).
# The violence against the person group takes what is left of each published total after the other two.
WEAPONS_GROUP = {2018: 1010, 2019: 1390, 2020: 1450}  # 2021 follows from the -7% change
MISC_GROUP = {2018: 1750, 2019: 2400, 2020: 2330}  # 2021 follows from the +6% change
ATTEMPTED_MURDER = {2018: 28, 2019: 41, 2020: 38, 2021: 44}  # Merseyside about 40 a year
VAP_SUBGROUPS = {"with_injury": 0.26, "without_injury": 0.41, "stalking_harassment": 0.33}
VAP_MIX = {  # within each VAP subgroup (homicide and attempted murder are fixed counts, taken from injury)
    "with_injury": {"8N": 0.88, "5D": 0.065, "8S": 0.025, "8P": 0.015, "5E": 0.01, "4.4": 0.003,
                    "4.8": 0.002},
    "without_injury": {"105A": 0.79, "104": 0.08, "3B": 0.05, "11A": 0.04, "105B": 0.025, "36": 0.008,
                       "106": 0.005, "13": 0.002},
    "stalking_harassment": {"8R": 0.44, "8L": 0.40, "8Q": 0.13, "8M": 0.03},
}  # fmt: skip
WEAPONS_MIX = {"10C": 0.6, "10B": 0.2, "81": 0.1, "10A": 0.06, "90": 0.04}  # besides 10D
MISC_MIX = {"86": 0.27, "59": 0.13, "802": 0.11, "79": 0.09, "99": 0.09, "54": 0.08, "83": 0.06, "33": 0.05,
            "61A": 0.04, "38": 0.03, "61": 0.02, "95": 0.01, "96": 0.01, "27": 0.01}  # fmt: skip
ROBBERY = {2018: 1050, 2019: 1420, 2020: 1150, 2021: 1100}  # police.uk: about 118 a month in late 2019
ROBBERY_MIX = {"34B": 0.88, "34A": 0.12}
ARSON_ENDANGERING_LIFE = {2018: 92, 2019: 131, 2020: 126, 2021: 108}  # chosen
DAMAGE = {2018: 1090, 2019: 1495, 2020: 1410, 2021: 1452}  # chosen (a share, see above)
DAMAGE_MIX = {"58D": 0.4, "58A": 0.25, "58C": 0.2, "56B": 0.15}
PUBLIC_ORDER = {2018: 905, 2019: 1248, 2020: 1302, 2021: 1497}  # chosen (a share, see above)
PUBLIC_ORDER_MIX = {"9A": 0.8, "9B": 0.12, "62A": 0.08}
# (knife share, firearm share) per offence code; the knife flag is recorded on ONS's selected offences only.
# 10D: the flag is not required on possession offences, so about half carry it (every 10D is counted anyway).
FLAGS = {
    "2": (0.45, 0.12), "5D": (0.3, 0.02), "8N": (0.025, 0.002),
    "8P": (0.02, 0), "8S": (0.01, 0), "3B": (0.12, 0.02), "5E": (0, 0.25), "105A": (0, 0.001),
    "34B": (0.2, 0.02), "34A": (0.25, 0.06), "10D": (0.5, 0), "10A": (0, 0.9), "10B": (0, 1),
    "81": (0, 0.6), "90": (0.3, 0),
}  # fmt: skip

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
    for name, mix in {"VAP_SUBGROUPS": VAP_SUBGROUPS, "WEAPONS_MIX": WEAPONS_MIX, "MISC_MIX": MISC_MIX,
                      **{f"VAP_MIX[{k}]": v for k, v in VAP_MIX.items()}}.items():  # fmt: skip
        if abs(sum(mix.values()) - 1) > 1e-9:
            raise ValueError(f"the shares of {name} do not add up to 1")
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

"""A small police-records extract whose figures are counted by hand.

Possession of an article with a blade (10D, the Home Office measure `ho_knife_sv`) in two Liverpool LSOAs:
2019: two a month in E01006513 (24); 2020: one a month in E01006513 and one a month from January to June in
E01006514 (12 + 6 = 18). So ho_knife_sv is 24 in 2019 and 18 in 2020, a change on the 2019 baseline of
-25.0%. The crime and person refs (CLEAR-...) are clear identifiers: none may appear in any output.
"""

from __future__ import annotations

HEADER = (
    "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,"
    "person_role,person_ref,age,sex"
)
A, B = "E01006513", "E01006514"
CLEAR = "CLEAR-"
COUNTS = {2019: 24, 2020: 18}


def crimes() -> list[tuple[str, str]]:
    """(date, lsoa) of every crime."""
    rows = [(f"2019-{m:02d}-{d:02d}", A) for m in range(1, 13) for d in (1, 2)]
    rows += [(f"2020-{m:02d}-03", A) for m in range(1, 13)]
    rows += [(f"2020-{m:02d}-04", B) for m in range(1, 7)]
    return rows


def extract() -> str:
    lines = [HEADER]
    for n, (date, lsoa) in enumerate(crimes(), start=1):
        lines.append(f"CLEAR-CRIME-{n:04d},{date},{date},10D,Y,N,N,{lsoa},suspect,CLEAR-PERSON-{n:04d},19,M")
    return "\n".join(lines) + "\n"

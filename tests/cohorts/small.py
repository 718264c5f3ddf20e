"""A population small enough to follow by hand (test_matching.py and test_outcomes.py).

The intervention "Navigators" starts all three of its participants on 1 June 2019, so every pseudo start
date is that day too. At their starts:

    person  group   age  band   sex  borough    contacts (12 months before)
    M1      cohort  16   16-17  M    Knowsley   1 (a theft, 10 January 2019)
    M2      cohort  19   18-20  F    Liverpool  0
    M3      cohort  30   25-34  M    Wirral     0
    C1      -       17   16-17  M    Knowsley   1 (a theft, 1 March 2019; aged 17 then)
    C2      -       18   18-20  F    Liverpool  0 (a theft on 1 May 2017, aged 16: 2 years and 31 days before)
    C3      -       16   16-17  M    Knowsley   3 (three thefts in February 2019)
    C4      -       20   18-20  F    Sefton     0 (a suspension on 15 January 2018, aged 19)

M1 matches C1 and M2 matches C2, each the only person of their stratum; no one is like M3 (unmatched); C3
and C4 are in strata without a member. Outcomes (offending, as a suspect): M1 on 1 September 2019 (92 days
after the start) and 1 March 2020 (274 days); C1 on 1 June 2019 (the start day itself: not counted) and 1
August 2020 (427 days). The police records end on 31 December 2020 (an unlinked crime): 579 days after the
start, where M2 and C2 are censored.
"""

from __future__ import annotations

from pathlib import Path

from tests.cohorts.links import write_links
from tests.sources.helpers import ingest, write_lines
from vrhub.hub import Hub

KNOWSLEY, LIVERPOOL, SEFTON, WIRRAL = "E01006412", "E01006512", "E01006920", "E01007110"
START = "2019-06-01"

POLICE = [
    "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,"
    "person_role,person_ref,age,sex",
    f"CR-01,2019-01-10,2019-01-10,49,N,N,N,{KNOWSLEY},victim,PERS-M1,16,M",
    f"CR-02,2019-03-01,2019-03-01,49,N,N,N,{KNOWSLEY},victim,PERS-C1,17,M",
    f"CR-03,2017-05-01,2017-05-01,49,N,N,N,{LIVERPOOL},victim,PERS-C2,16,F",
    f"CR-04,2019-02-01,2019-02-01,49,N,N,N,{KNOWSLEY},victim,PERS-C3,16,M",
    f"CR-05,2019-02-02,2019-02-02,49,N,N,N,{KNOWSLEY},victim,PERS-C3,16,M",
    f"CR-06,2019-02-03,2019-02-03,49,N,N,N,{KNOWSLEY},victim,PERS-C3,16,M",
    f"CR-07,2019-09-01,2019-09-01,58A,N,N,N,{KNOWSLEY},suspect,PERS-M1,16,M",
    f"CR-08,2020-03-01,2020-03-01,58A,N,N,N,{KNOWSLEY},suspect,PERS-M1,17,M",
    f"CR-09,2019-06-01,2019-06-01,58A,N,N,N,{KNOWSLEY},suspect,PERS-C1,17,M",
    f"CR-10,2020-08-01,2020-08-01,58A,N,N,N,{KNOWSLEY},suspect,PERS-C1,18,M",
    f"CR-11,2020-12-31,2020-12-31,58A,N,N,N,{WIRRAL},suspect,PERS-X,40,M",
]
EDUCATION = [
    "pupil_ref,event_type,start_date,end_date,provider,lsoa_code,postcode_district,age,sex",
    f"UPN-C4,suspension,2018-01-15,2018-01-19,,{SEFTON},,19,F",
]
PARTICIPANTS = [
    "participant_ref,intervention,start_date,end_date,lsoa_code,age,sex",
    f"PART-M1,Navigators,{START},,{KNOWSLEY},16,M",
    f"PART-M2,Navigators,{START},,{LIVERPOOL},19,F",
    f"PART-M3,Navigators,{START},,{WIRRAL},30,M",
]
LINKS = [
    ("participants", "PART-M1", "M1"),
    ("participants", "PART-M2", "M2"),
    ("participants", "PART-M3", "M3"),
    ("police-records", "PERS-M1", "M1"),
    ("police-records", "PERS-C1", "C1"),
    ("police-records", "PERS-C2", "C2"),
    ("police-records", "PERS-C3", "C3"),
    ("education-records", "UPN-C4", "C4"),
]


def load(hub: Hub, folder: Path) -> None:
    ingest(hub, "police-records", write_lines(folder / "police.csv", POLICE))
    ingest(hub, "education-records", write_lines(folder / "education.csv", EDUCATION))
    ingest(hub, "participants", write_lines(folder / "participants.csv", PARTICIPANTS))
    write_links(hub, LINKS)

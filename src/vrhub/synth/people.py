"""Synthetic people records across four agencies, with the errors real records have and the truth kept.

Each person (name, sex, date of birth, a Merseyside home, an NHS number) is held by one to four agencies
(police, the emergency department, education, a youth intervention), sometimes twice by the same one, and
each record is copied from the person with the errors agencies make: typed names (a letter swapped, dropped
or doubled), a nickname for the forename, names the wrong way round, day and month swapped, a digit of the
date mistyped, a move (another postcode and address), a mistyped postcode, abbreviated streets and missing
fields. `truth` names the person behind every record, to measure linkage against.

Vectorised with numpy: the per-row work is array arithmetic; only the few values an error touches go
through a Python function.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np


def _words(text: str) -> list[str]:
    return text.split()


AGENCIES = {
    # agency: (file, the source its records are references of, share of people it holds)
    "police": ("people_police.csv", "police-records", 0.55),
    "emergency-department": ("people_ed.csv", "ed-attendances", 0.45),
    "education": ("people_education.csv", "education-records", 0.40),
    "youth-service": ("people_youth.csv", "participants", 0.25),
}

MALE = _words(
    "oliver george harry jack jacob noah charlie muhammad thomas oscar william james henry leo alfie "
    "joshua freddie archie ethan isaac alexander joseph edward samuel max daniel arthur lucas mohammed "
    "logan theo harrison benjamin mason sebastian finley adam dylan zachary riley teddy theodore david "
    "toby jake louie elijah reggie arlo tommy luca jenson frederick jude michael matthew ryan callum "
    "lewis connor kieran liam jordan nathan aaron kyle jamie ben sam luke owen reece bradley ashley craig "
    "darren gary lee mark paul stephen steven anthony christopher andrew richard robert john peter kevin "
    "jason scott dean"
)
FEMALE = _words(
    "olivia amelia isla ava mia isabella sophia grace lily freya emily ivy ella rosie evie florence poppy "
    "charlotte willow harper sienna elsie phoebe daisy sofia alice ruby evelyn matilda emma eliza millie "
    "sophie maya esme harriet layla chloe lucy jessica hannah lauren megan holly bethany abigail amy "
    "rebecca rachel laura sarah katie natalie jade leah paige courtney shannon chelsea danielle stacey "
    "kelly gemma nicola michelle lisa claire joanne donna emma victoria elizabeth margaret catherine anne "
    "susan karen julie helen jennifer kathleen patricia mary dorothy louise zoe caitlin ellie molly"
)
SURNAMES = _words(
    "smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson thompson "
    "wright walker white edwards hughes green hall lewis harris clarke patel jackson wood turner martin "
    "cooper hill ward morris moore clark lee king baker harrison morgan allen james scott phillips watson "
    "davis parker price bennett young griffiths mitchell kelly cook carter richardson bailey collins bell "
    "shaw murphy miller cox richards khan marshall anderson simpson ellis adams singh begum wilkinson "
    "foster chapman powell webb rogers gray mason ali hunt hussain campbell matthews owen palmer holmes "
    "mills barnes knight lloyd butler russell barker fisher stevens jenkins murray dixon harvey graham "
    "pearson ahmed fletcher walsh kaur gibson howard andrews stewart elliott reynolds saunders payne fox "
    "ford pearce day brooks west lawrence cole atkinson bradley spencer gill dawson ball burton obrien "
    "watts rose booth perry ryan grant wells armstrong francis rees hayes hart hudson newman barrett "
    "webster hunter gregory carr lowe page marsh riley dennis farrell mccarthy doyle byrne quinn "
    "gallagher mcdonald kennedy maguire connolly mulligan fitzgerald rimmer molyneux swift sefton "
    "halewood kirkby huyton prescot crosby formby"
)
# Made-up names for the long tail a population has (tens of thousands of rarer surnames).
_FIRST = (
    "ash",
    "brad",
    "craw",
    "dun",
    "fair",
    "green",
    "hal",
    "kirk",
    "lang",
    "mar",
    "nor",
    "pen",
    "rad",
    "sal",
    "thorn",
    "wal",
    "bar",
    "cal",
    "dar",
    "el",
    "fen",
    "gar",
    "har",
    "ing",
    "kel",
    "lin",
    "mel",
    "ox",
    "pil",
    "ren",
    "stan",
    "tal",
    "ul",
    "ver",
    "wes",
    "york",
    "bel",
    "car",
    "dal",
    "est",
)
_MIDDLE = ("", "a", "e", "i", "o", "er", "en", "in", "on", "ing", "ling", "ers", "le", "ham", "ton", "ry")
_ENDINGS = (
    "ford",
    "ley",
    "ton",
    "wood",
    "field",
    "worth",
    "by",
    "ham",
    "shaw",
    "well",
    "bridge",
    "combe",
    "ridge",
    "stone",
    "more",
    "dale",
    "hurst",
    "wick",
    "land",
    "side",
    "brook",
    "cott",
    "den",
    "ing",
    "s",
)
_FORENAME_STARTS = ("ka", "ja", "ma", "la", "ri", "ro", "ta", "ni", "da", "ze", "ar", "el", "le", "mi", "so")
_FORENAME_ENDS = (
    "den",
    "son",
    "lan",
    "ra",
    "na",
    "la",
    "ley",
    "ris",
    "vin",
    "ton",
    "mie",
    "lie",
    "nia",
    "ya",
)
STREETS = (
    "church",
    "park",
    "station",
    "victoria",
    "green",
    "manor",
    "mill",
    "school",
    "queens",
    "kings",
    "grange",
    "chapel",
    "north",
    "south",
    "west",
    "elm",
    "oak",
    "beech",
    "priory",
    "moss",
    "walton",
    "anfield",
    "everton",
    "lark",
    "derby",
    "stanley",
    "lodge",
    "bank",
    "bridge",
    "dale",
    "field",
    "hall",
    "hawthorn",
    "holly",
    "lime",
    "marsh",
    "meadow",
    "orchard",
    "rose",
    "willow",
    "windsor",
    "york",
    "albert",
    "alexandra",
)
STREET_KINDS = ("road", "street", "avenue", "lane", "close", "drive", "way", "crescent", "grove", "court")
STREET_SHORT = {"road": "rd", "street": "st", "avenue": "ave", "lane": "ln", "close": "cl", "drive": "dr"}
DISTRICTS = (
    [f"L{i}" for i in range(1, 39)]
    + [f"CH{i}" for i in range(41, 50)]
    + [f"CH{i}" for i in range(60, 67)]
    + ["WA8", "WA9", "WA10", "WA11", "PR8", "PR9"]
)
NICKNAMES = {
    "william": ("will", "bill", "billy"),
    "thomas": ("tom", "tommy"),
    "james": ("jim", "jimmy", "jamie"),
    "joseph": ("joe", "joey"),
    "samuel": ("sam", "sammy"),
    "daniel": ("dan", "danny"),
    "alexander": ("alex", "sandy"),
    "benjamin": ("ben", "benji"),
    "edward": ("ed", "eddie", "ted"),
    "frederick": ("fred", "freddie"),
    "matthew": ("matt",),
    "michael": ("mike", "mick"),
    "christopher": ("chris",),
    "anthony": ("tony",),
    "richard": ("rich", "rick", "dick"),
    "robert": ("rob", "bob", "bobby"),
    "stephen": ("steve",),
    "steven": ("steve",),
    "andrew": ("andy",),
    "elizabeth": ("liz", "beth", "lizzie"),
    "margaret": ("maggie", "meg"),
    "catherine": ("kate", "cath"),
    "jessica": ("jess",),
    "rebecca": ("becky",),
    "victoria": ("vicky",),
    "jennifer": ("jenny", "jen"),
    "nicola": ("nicky",),
    "natalie": ("nat",),
    "abigail": ("abby",),
    "isabella": ("bella", "izzy"),
    "charlotte": ("lottie",),
    "harriet": ("hattie",),
    "matilda": ("tilly",),
    "florence": ("flo",),
    "patricia": ("pat", "trish"),
    "susan": ("sue",),
    "dorothy": ("dot",),
    "joshua": ("josh",),
    "zachary": ("zach",),
    "nathan": ("nate",),
    "jacob": ("jake",),
    "harrison": ("harry",),
    "theodore": ("theo", "teddy"),
    "sebastian": ("seb",),
    "oliver": ("ollie",),
    "charlie": ("charles",),
}


def _draw(rng: np.random.Generator, names: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    return rng.choice(names, n, p=weights / weights.sum()).astype(object)


def _surname_pool() -> tuple[np.ndarray, np.ndarray]:
    """Surnames with the spread of a British population: the commonest (smith) about 1.3% of people, the
    listed common ones together about a third, and the rest a long tail of rarer (made-up) names."""
    made = sorted({a + m + e for a in _FIRST for m in _MIDDLE for e in _ENDINGS} - set(SURNAMES))
    common = 0.0126 * np.arange(1, len(SURNAMES) + 1) ** -0.6
    tail = np.arange(1, len(made) + 1) ** -0.5
    tail *= (1 - common.sum()) / tail.sum()
    names = np.array(SURNAMES + made)
    weights = np.concatenate([common, tail])
    return names, weights / weights.sum()


def _forenames(listed: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The listed forenames for two thirds of people (the commonest about 3%), rarer ones for the rest."""
    made = sorted({a + b for a in _FORENAME_STARTS for b in _FORENAME_ENDS} - set(listed))
    common = np.arange(1, len(listed) + 1) ** -0.5
    common *= 0.67 / common.sum()
    rare = np.full(len(made), 0.33 / len(made))
    return np.array(listed + made), np.concatenate([common, rare])


def _mod11_nhs(rng: np.random.Generator, n: int) -> np.ndarray:
    """Valid NHS numbers (Modulus 11): nine random digits and their check digit, redrawn where none fits."""
    digits = rng.integers(0, 10, size=(n, 9))
    digits[:, 0] = rng.integers(4, 7, size=n)  # England's numbers start 4 to 6 in practice
    total = (digits * np.arange(10, 1, -1)).sum(axis=1)
    check = (11 - total % 11) % 11
    bad = check == 10
    while bad.any():
        digits[bad, 8] = rng.integers(0, 10, size=int(bad.sum()))
        total = (digits * np.arange(10, 1, -1)).sum(axis=1)
        check = (11 - total % 11) % 11
        bad = check == 10
    full = np.concatenate([digits, check[:, None]], axis=1)
    return np.array(["".join(map(str, row)) for row in full])


def _typo(rng: np.random.Generator, text: str) -> str:
    """One keying error: a letter swapped with the next, dropped, doubled or replaced."""
    if len(text) < 3:
        return text + text[-1:]
    i = int(rng.integers(0, len(text) - 1))
    kind = int(rng.integers(0, 4))
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[: i + 1] + text[i] + text[i + 1 :]
    return text[:i] + "abcdefghijklmnopqrstuvwxyz"[int(rng.integers(0, 26))] + text[i + 1 :]


def _apply(rng: np.random.Generator, values: np.ndarray, mask: np.ndarray, change) -> None:  # type: ignore[no-untyped-def]
    for i in np.flatnonzero(mask):
        values[i] = change(rng, values[i])


def _homes(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    district = np.array(DISTRICTS)[rng.integers(0, len(DISTRICTS), n)]
    inward = (
        rng.integers(0, 10, n).astype(str).astype(object)
        + np.array(list("ABDEFGHJLNPQRSTUWXYZ"))[rng.integers(0, 20, n)].astype(object)
        + np.array(list("ABDEFGHJLNPQRSTUWXYZ"))[rng.integers(0, 20, n)].astype(object)
    )
    postcode = district.astype(object) + " " + inward
    street = (
        rng.integers(1, 200, n).astype(str).astype(object)
        + " "
        + np.array(STREETS)[rng.integers(0, len(STREETS), n)].astype(object)
        + " "
        + np.array(STREET_KINDS)[rng.integers(0, len(STREET_KINDS), n)].astype(object)
    )
    return postcode.astype(object), street.astype(object)


@dataclass(frozen=True)
class Identities:
    """Each person's true details, which every agency's record of them is copied from (with errors)."""

    forename: np.ndarray
    surname: np.ndarray
    sex: np.ndarray  # "M" or "F"
    born: np.ndarray  # datetime64[D]
    postcode: np.ndarray
    address: np.ndarray
    nhs: np.ndarray


def identities(rng: np.random.Generator, sex: np.ndarray, born: np.ndarray | None = None) -> Identities:
    """Names, a Merseyside home and an NHS number for people of the given sexes (and dates of birth: drawn,
    1975 to 2012, when not given)."""
    people = sex.size
    male = _draw(rng, *_forenames(MALE), people)
    female = _draw(rng, *_forenames(FEMALE), people)
    forename = np.where(sex == "M", male, female).astype(object)
    names, weights = _surname_pool()
    surname = _draw(rng, names, weights, people)
    if born is None:
        born = np.datetime64("1975-01-01") + rng.integers(0, 38 * 365, people).astype("timedelta64[D]")
    postcode, address = _homes(rng, people)
    nhs = _mod11_nhs(rng, people).astype(object)
    return Identities(forename, surname, sex, born, postcode, address, nhs)


HEADER = ["record_ref", "forename", "surname", "date_of_birth", "sex", "postcode", "address", "nhs_number",
          "email", "source", "source_ref"]  # fmt: skip
PROVIDERS = ("gmail.com", "hotmail.co.uk", "outlook.com", "yahoo.co.uk", "icloud.com", "btinternet.com")
EMAIL_AGENCIES = (2, 3)  # education and the youth service hold an email address for most of their people


def write_agency_records(  # noqa: PLR0913
    path: Path,
    rng: np.random.Generator,
    people: Identities,
    who: np.ndarray,
    agency: str,
    refs: np.ndarray,
    source_refs: np.ndarray,
) -> Path:
    """One agency's people file: a record of person `who[i]` (an index into `people`) under `refs[i]`,
    copied with the errors agencies make, pointing at `source_refs[i]` in the agency's source."""
    _, source, _ = AGENCIES[agency]
    rows = _records(rng, who, people, list(AGENCIES).index(agency))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(
            zip(
                refs,
                rows["forename"],
                rows["surname"],
                rows["date_of_birth"],
                rows["sex"],
                rows["postcode"],
                rows["address"],
                rows["nhs_number"],
                rows["email"],
                [source] * who.size,
                source_refs,
                strict=True,
            )
        )
    return path


def write_truth(path: Path, held: list[tuple[str, np.ndarray, np.ndarray]]) -> Path:
    """`agency, record_ref, cluster`: the person behind every record (held: agency, refs, person indices)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["agency", "record_ref", "cluster"])
        for agency, refs, who in held:
            writer.writerows(zip([agency] * len(refs), refs, who, strict=True))
    return path


def generate_people(out_dir: Path, records: int = 100_000, seed: int = 14) -> dict[str, Path]:
    """Write one people CSV per agency (about `records` rows in all) and `people_truth.csv` (agency,
    record_ref, person). Returns {agency: path} with the truth under "truth"."""
    rng = np.random.default_rng(seed)
    shares = np.array([share for _, _, share in AGENCIES.values()])
    per_person = shares.sum() * 1.08  # each agency holds some people twice
    people = int(records / per_person)
    sex = np.where(rng.random(people) < 0.55, "M", "F")  # violence involves more men
    details = identities(rng, sex)

    blocks = []
    for agency, (_, _, share) in AGENCIES.items():
        held = np.flatnonzero(rng.random(people) < share)
        again = held[rng.random(held.size) < 0.08]  # a second record of the same person
        who = np.concatenate([held, again])
        blocks.append((agency, who[rng.permutation(who.size)]))
    paths: dict[str, Path] = {}
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_rows = []
    for code, (agency, who) in enumerate(blocks):
        file_name, source, _ = AGENCIES[agency]
        refs = np.char.add(f"{agency[:3].upper()}-", np.arange(1, who.size + 1).astype(str))
        source_refs = np.char.add(f"{source[:3].upper()}{code}-", who.astype(str))
        paths[agency] = write_agency_records(
            out_dir / file_name, rng, details, who, agency, refs, source_refs
        )
        truth_rows.append((agency, refs, who))
    paths["truth"] = write_truth(out_dir / "people_truth.csv", truth_rows)
    return paths


def _records(
    rng: np.random.Generator, who: np.ndarray, people: Identities, agency: int
) -> dict[str, np.ndarray]:
    forename, surname, sex, born = people.forename, people.surname, people.sex, people.born
    postcode, address, nhs = people.postcode, people.address, people.nhs
    n = who.size
    chance = lambda p: rng.random(n) < p  # noqa: E731
    first, last = forename[who].copy(), surname[who].copy()
    nick = chance(0.06) & np.isin(first, list(NICKNAMES))
    _apply(rng, first, nick, lambda r, v: NICKNAMES[v][int(r.integers(0, len(NICKNAMES[v])))])
    _apply(rng, first, chance(0.02), _typo)
    _apply(rng, last, chance(0.025), _typo)
    swap = chance(0.005)
    first[swap], last[swap] = last[swap], first[swap]
    first[chance(0.01)] = ""
    last[chance(0.01)] = ""
    # Capitalised as agencies type them, sometimes in capitals.
    shout = chance(0.2)
    first = np.where(shout, np.char.upper(first.astype(str)), np.char.capitalize(first.astype(str))).astype(
        object
    )
    last = np.where(shout, np.char.upper(last.astype(str)), np.char.capitalize(last.astype(str))).astype(
        object
    )

    date = born[who]
    text = np.datetime_as_string(date, unit="D").astype(object)
    day = (date - date.astype("datetime64[M]")).astype(int) + 1
    month = date.astype("datetime64[M]").astype(int) % 12 + 1
    year = date.astype("datetime64[Y]").astype(int) + 1970
    swapped = chance(0.015) & (day <= 12) & (day != month)
    text[swapped] = [
        f"{y:04d}-{d:02d}-{m:02d}"
        for y, m, d in zip(year[swapped], month[swapped], day[swapped], strict=True)
    ]
    _apply(rng, text, chance(0.01), _digit_typo)
    british = chance(0.3)  # written day first, as forms do
    text[british] = [f"{v[8:10]}/{v[5:7]}/{v[0:4]}" for v in text[british]]
    text[chance(0.03)] = ""

    code, home = postcode[who].copy(), address[who].copy()
    moved = chance(0.12)
    code[moved], home[moved] = _homes(rng, int(moved.sum()))
    _apply(rng, code, chance(0.01), _postcode_typo)
    short = chance(0.1)
    _apply(rng, home, short, lambda r, v: " ".join(STREET_SHORT.get(w, w) for w in v.split()))
    code[chance(0.05)] = ""
    home[chance(0.06)] = ""
    gender = sex[who].astype(object)
    gender[chance(0.03)] = ""
    health = np.full(n, "", dtype=object)
    if agency == 1:  # the emergency department knows most NHS numbers
        known = chance(0.8)
        health[known] = nhs[who][known]
    return {
        "forename": first,
        "surname": last,
        "date_of_birth": text,
        "sex": gender,
        "postcode": code,
        "address": home,
        "nhs_number": health,
        "email": _emails(who, people, agency) if agency in EMAIL_AGENCIES else np.full(n, "", dtype=object),
    }


def _emails(who: np.ndarray, people: Identities, agency: int) -> np.ndarray:
    """Each person's own address (the same at every agency that holds one), with the errors records carry:
    missing, another address of theirs, a typo. Drawn from a generator of its own, so the other columns of
    every file stay what they were before emails were added."""
    n = who.size
    rng = np.random.default_rng([agency, n, int(who[: min(n, 64)].sum())])
    first = np.char.lower(people.forename[who].astype(str))
    last = np.char.lower(people.surname[who].astype(str))
    # A mailbox is one person's: every user part ends in the person's own number, as providers make people
    # choose an address nobody holds.
    number = who.astype(str)
    shape = who * 13 % 3
    user = np.where(
        shape == 0,
        np.char.add(np.char.add(np.char.add(first, "."), last), number),
        np.where(shape == 1, np.char.add(first, number), np.char.add(np.char.add(first, "_"), number)),
    )
    provider = np.asarray(PROVIDERS, dtype=object)[who * 31 % len(PROVIDERS)]
    mail = np.char.add(np.char.add(user, "@"), provider.astype(str)).astype(object)
    other = rng.random(n) < 0.08  # another address of theirs: the same user at another provider
    mail[other] = np.char.add(np.char.add(user[other], "@"), PROVIDERS[-1])
    _apply(rng, mail, rng.random(n) < 0.02, _typo)
    mail[rng.random(n) < 0.25] = ""
    return mail


def _digit_typo(rng: np.random.Generator, text: str) -> str:
    places = [i for i, c in enumerate(text) if c.isdigit()]
    i = places[int(rng.integers(0, len(places)))]
    return text[:i] + str(int(rng.integers(0, 10))) + text[i + 1 :]


def _postcode_typo(rng: np.random.Generator, text: str) -> str:
    i = int(rng.integers(0, len(text)))
    if text[i] == " ":
        return text
    pool = "0123456789" if text[i].isdigit() else "ABCDEFGHJKLMNOPRSTUWXYZ"
    return text[:i] + pool[int(rng.integers(0, len(pool)))] + text[i + 1 :]

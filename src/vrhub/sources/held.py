"""How the quarantine holds what may identify a person: as the loaded data holds it, never in clear.

An identifier is held as its pseudonym, hashed from the same comparable form as the loaded keys (an NHS
number `943-476-5919` as `9434765919`), so a quarantined row can be matched to the loaded ones and to the
same row loaded later. A unit postcode (`L8 1JQ`, a few dozen homes) is held as its district (`L8`), all
the records keep of a place beside the LSOA.
"""

from __future__ import annotations

from vrhub.sources.identifiers import nhs_digits, trim_reference

# A full unit postcode (space optional), or a sector (`L8 1`, space required: `L81` may be a district).
_UNIT = r"([A-Z]{1,2}[0-9][0-9A-Z]?)(\s*[0-9][A-Z]{2}|\s+[0-9])"


def district_sql(v: str, note: str = "") -> str:
    """SQL: `v` with a unit postcode or sector reduced to its district (and `note` after it); any other
    value as it is."""
    normal = f"upper(trim({v}))"
    district = f"regexp_extract({normal}, '^{_UNIT}', 1)"
    if note:
        district = f"{district} || ' ' || '{note}'"
    return f"CASE WHEN regexp_full_match({normal}, '{_UNIT}') THEN {district} ELSE {v} END"


# Said after a problem's value that was a unit postcode, so the reason beside it still reads right.
REDUCED = "(a full postcode, held as its district)"


def comparable_sql(kind: str, v: str) -> str:
    """SQL: the identifier `v` (of column kind `kind`) as it is hashed in the quarantine: as the loaded key
    is hashed (see `identifiers.comparable`), and for an NHS number that fails its checks, its digits as
    written without separators, so that `943 476 5919` and `943-476-5919` still hash alike."""
    if kind == "nhs_number":
        return nhs_digits(trim_reference(v))
    return trim_reference(v)


def loose_sql(v: str, nhs: bool) -> str:
    """SQL: a value that may be an identifier of any kind (a field shifted by a stray comma): an NHS number's
    form where the file has NHS numbers and the value is ten digits once separators are cut, else a
    reference's form."""
    if not nhs:
        return trim_reference(v)
    digits, reference = nhs_digits(trim_reference(v)), trim_reference(v)
    return f"(CASE WHEN regexp_full_match({digits}, '[0-9]{{10}}') THEN {digits} ELSE {reference} END)"

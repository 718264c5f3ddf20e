"""Identifiers made comparable before they are hashed, as DuckDB SQL (no row loops).

A pseudonym links records only if the same identifier always reaches the hash as the same text: a
reference typed with a trailing tab, or an NHS number written `943 476 5919`, must hash as `9434765919`
does. And an NHS number that fails its check digit is a mistyped number (or another person's): hashing it
would link the wrong records, so the row is quarantined instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vrhub.pseudonymise import Pseudonymiser
    from vrhub.sources.spec import Column

# Column kinds whose values are stored (and quarantined) only as pseudonyms.
KINDS = ("identifier", "nhs_number")

# What a reference may carry at either end and still be the same reference: whitespace (tabs and line
# ends as well as spaces), Unicode space separators, a zero-width space or a byte order mark. The shared
# trim of raw values removes only spaces, so this finishes the job for identifiers.
_EDGE = r"[\s\p{Z}\x{200B}\x{FEFF}]"
# Written inside an NHS number for readability: any whitespace or dash (the hyphen-minus and Unicode dashes).
_SEPARATORS = r"[\s\p{Z}\p{Pd}\x{200B}\x{FEFF}]"
# NHS Data Dictionary, NHS NUMBER: weights 10 down to 2 on the first nine digits.
_WEIGHTS = range(10, 1, -1)

NOT_TEN_DIGITS = "not an NHS number (expected ten digits; spaces and dashes are ignored)"
FAILS_CHECK = "NHS number fails the Modulus 11 check (a digit mistyped or transposed?)"


def is_identifier(kind: str) -> bool:
    return kind in KINDS


def trim_reference(v: str) -> str:
    """SQL: the reference `v` with whitespace of every kind cut from both ends, blank as NULL. The regular
    expression runs only where an end is not plain printable ASCII (rare), as the shared trim does."""
    plain_ends = f"ascii({v}) BETWEEN 33 AND 126 AND ascii(right({v}, 1)) BETWEEN 33 AND 126"
    cut = f"nullif(regexp_replace({v}, '^{_EDGE}+|{_EDGE}+$', '', 'g'), '')"
    return f"(CASE WHEN {plain_ends} THEN {v} ELSE {cut} END)"


def nhs_digits(v: str) -> str:
    """SQL: the NHS number `v` without its separators (blank as NULL); not yet checked."""
    return f"nullif(regexp_replace({v}, '{_SEPARATORS}', '', 'g'), '')"


def modulus_11_ok(digits: str) -> str:
    """SQL: true where `digits` (ten digits) carries the right check digit. The check is 11 minus the
    weighted sum mod 11, with 11 read as 0; a sum giving 10 has no check digit, so no valid number has it."""
    total = " + ".join(f"{w} * CAST(substr({digits}, {i}, 1) AS INTEGER)" for i, w in enumerate(_WEIGHTS, 1))
    check = f"(11 - ({total}) % 11) % 11"
    return f"({check} = CAST(substr({digits}, 10, 1) AS INTEGER))"


def comparable(kind: str, v: str) -> str:
    """SQL: the identifier `v` (already given the shared trim) as it is hashed, or NULL where it is blank or,
    for an NHS number, not a valid one."""
    if kind == "nhs_number":
        digits = nhs_digits(v)
        shaped = f"regexp_full_match({digits}, '[0-9]{{10}}')"
        return f"(CASE WHEN {shaped} AND {modulus_11_ok(digits)} THEN {digits} END)"
    return trim_reference(v)


def identifier_sql(
    col: Column, pseudonyms: Pseudonymiser, v: str, typed: str
) -> tuple[str, list[tuple[str, str, str]]]:
    """(pseudonym expression, (condition, reason, value) triples) for an identifier column, as
    `staging.column_sql` wants them: `v` names the trimmed raw value, `typed` the pseudonym."""
    problems = []
    if col.kind == "nhs_number":
        digits = nhs_digits(v)
        ten = f"regexp_full_match({digits}, '[0-9]{{10}}')"
        if not col.nullable:
            problems.append((f"{digits} IS NULL", "missing value", "NULL::VARCHAR"))
        problems.append((f"{typed} IS NULL AND {digits} IS NOT NULL AND NOT {ten}", NOT_TEN_DIGITS, v))
        problems.append((f"{typed} IS NULL AND {ten}", FAILS_CHECK, v))
    elif not col.nullable:
        problems.append((f"{typed} IS NULL", "missing value", "NULL::VARCHAR"))
    return pseudonyms.sql(comparable(col.kind, v)), problems

"""How each kind of value is parsed and checked, as DuckDB SQL over the raw text (no row loops).

`parse(kind, v)` gives the typed value; `problem(kind, v, parsed)` gives the reason a non-blank value is
rejected, or NULL when it is fine. `v` is the trimmed raw text with blanks as NULL.
"""

from __future__ import annotations

import os

from vrhub.errors import BadValue, VrhubError


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sql_list(values: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(_quote(v) for v in values) + "]"


_DATE_FORMATS = "['%Y-%m-%d', '%d/%m/%Y']"
_DATETIME_FORMATS = (
    "['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%Y-%m-%d %H:%M:%S.%f']"
)
_TRUE = "('y', 'yes', 'true', '1', 't')"
_FALSE = "('n', 'no', 'false', '0', 'f')"
PERIOD_PATTERN = r"^([0-9]{4}|[0-9]{4}/[0-9]{2}|[0-9]{4}-Q[1-4]|[0-9]{4}-(0[1-9]|1[0-2]))$"


def parse(kind: str, v: str, choices: tuple[str, ...] = ()) -> str:
    match kind:
        case "text" | "identifier":
            return v
        case "upper":
            return f"upper({v})"
        case "date":
            return f"CAST(try_strptime({v}, {_DATE_FORMATS}) AS DATE)"
        case "datetime":
            return f"try_strptime(replace({v}, 'T', ' '), {_DATETIME_FORMATS})"
        case "month":
            return f"CAST(try_strptime({v}, '%Y-%m') AS DATE)"
        case "flag":
            return f"CASE WHEN lower({v}) IN {_TRUE} THEN true WHEN lower({v}) IN {_FALSE} THEN false END"
        case "age":
            # Whole years written as digits only: a cast alone would round 24.9 to 25 (out of every under-25
            # figure) and read 1e1 as 10. The cast read back as the same text is the common case, and
            # cheap; the pattern (a leading zero, a spreadsheet's '30.0') is tried only where it is not.
            age = f"try_cast({v} AS INTEGER)"
            whole = f"regexp_full_match({v}, '[0-9]{{1,3}}(\\.0+)?')"
            exact = f"(CAST({age} AS VARCHAR) = {v} OR {whole})"
            return f"CASE WHEN {age} BETWEEN 0 AND 120 AND {exact} THEN {age} END"
        case "sex":
            return (
                f"CASE lower({v}) WHEN 'm' THEN 'M' WHEN 'male' THEN 'M' WHEN 'f' THEN 'F' "
                f"WHEN 'female' THEN 'F' WHEN 'u' THEN 'U' WHEN 'unknown' THEN 'U' WHEN 'x' THEN 'U' END"
            )
        case "lsoa":
            # E01/W01 only: an output area (E00) is a smaller area no lookup of LSOAs places.
            return f"CASE WHEN regexp_full_match(upper({v}), '[EW]01[0-9]{{6}}') THEN upper({v}) END"
        case "choice":
            normal = f"replace(replace(lower({v}), ' ', '_'), '-', '_')"
            return f"CASE WHEN {normal} IN ({', '.join(_quote(c) for c in choices)}) THEN {normal} END"
        case "exact_choice":
            return f"CASE WHEN {v} IN ({', '.join(_quote(c) for c in choices)}) THEN {v} END"
        case "offence_code":
            u = f"upper({v})"
            padded = f"{v} LIKE '0%' AND regexp_matches({u}, '^0+[0-9]')"  # the regex only where it can match
            normal = f"CASE WHEN {padded} THEN ltrim({u}, '0') ELSE {u} END"
            # Looked up by list_contains, not IN: over the Home Office's 150 codes it took half as long.
            return f"CASE WHEN list_contains({sql_list(choices)}, {normal}) THEN {normal} END"
        case "icd10":
            normal = f"upper(replace({v}, '.', ''))"
            return (
                f"CASE WHEN regexp_full_match({normal}, '[V-Y][0-9]{{2}}[0-9A-Z]?') THEN "
                f"CASE WHEN length({normal}) = 4 THEN substr({normal}, 1, 3) || '.' || substr({normal}, 4) "
                f"ELSE {normal} END END"
            )
        case "icd10_diagnosis":
            # Any chapter, as HES and SUS diagnosis fields hold it: 'S21.1', 'X990', 'X99-' or 'R69X' (a
            # filler where there is no 4th character), a dagger or asterisk mark ('D', 'A') after it.
            normal = f"upper(replace(replace({v}, '.', ''), ' ', ''))"
            shape = "'([A-Z][0-9]{2})([0-9]{0,2})[X-]?[DA]?'"
            head, tail = f"regexp_extract({normal}, {shape}, 1)", f"regexp_extract({normal}, {shape}, 2)"
            return (
                f"CASE WHEN regexp_full_match({normal}, {shape}) THEN "
                f"{head} || CASE WHEN {tail} <> '' THEN '.' || {tail} ELSE '' END END"
            )
        case "number":
            return f"try_cast(replace({v}, ',', '') AS DOUBLE)"
        case "count":
            normal = f"replace({v}, ',', '')"
            return f"CASE WHEN regexp_full_match({normal}, '[0-9]{{1,15}}') THEN CAST({normal} AS BIGINT) END"
        case "period":
            return f"CASE WHEN regexp_full_match({v}, '{PERIOD_PATTERN[1:-1]}') THEN {v} END"
    raise VrhubError(f"unknown column kind {kind!r}")


REASONS = {
    "date": "not a date (expected YYYY-MM-DD or DD/MM/YYYY)",
    "datetime": "not a date and time (expected YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM)",
    "month": "not a month (expected YYYY-MM)",
    "flag": "not a yes/no flag (expected Y or N)",
    "age": "age out of range or not a whole number (expected 0 to 120)",
    "sex": "not a sex code (expected M, F or U)",
    "lsoa": "not an LSOA code (expected E01 or W01 and six digits)",
    "choice": "not one of the allowed values",
    "exact_choice": "not one of the allowed values",
    "offence_code": "unknown Home Office offence code",
    "icd10": "not an ICD-10 external cause code (expected e.g. X99 or Y04.0)",
    "icd10_diagnosis": "not an ICD-10 code (expected e.g. S21.1, X99 or X990)",
    "number": "not a number",
    "count": "not a whole number (expected e.g. 1234 or 1,234)",
    "period": "not a period (expected 2019, 2019/20, 2019-Q2 or 2019-06)",
}


# Dates a record cannot hold: before the earliest plausible year (a typing slip, 1899 for 1999, or a
# system's placeholder such as 1900-01-01 is kept out only if the year is raised), and after the day the
# file is loaded. Either would show as a period of its own in every measure and make the months between look
# like missing data. 1900 lets through any real historic offence reported late; a partnership may raise it.
EARLIEST_YEAR_SETTING = "VRHUB_EARLIEST_YEAR"
DATED_KINDS = ("date", "datetime", "month")


def earliest_year() -> int:
    given = os.environ.get(EARLIEST_YEAR_SETTING, "").strip()
    if not given:
        return 1900
    if not given.isdigit() or not 1000 <= int(given) <= 9999:
        raise BadValue(
            f"{EARLIEST_YEAR_SETTING}={given!r} is not a year",
            f"Set {EARLIEST_YEAR_SETTING} to the earliest year a record may be dated, e.g. 1900.",
        )
    return int(given)


def implausible_dates(kind: str, typed: str, future_allowed: bool = False) -> list[tuple[str, str]]:
    """(condition, reason) pairs for a parsed date `typed` outside the plausible range."""
    if kind not in DATED_KINDS:
        return []
    year = earliest_year()
    checks = [(f"{typed} < DATE '{year}-01-01'", f"date before {year}, the earliest plausible year")]
    if not future_allowed:
        checks.append(
            (f"CAST({typed} AS DATE) > current_date", "date in the future (after the day it was loaded)")
        )
    return checks


def reason(kind: str, choices: tuple[str, ...] = ()) -> str:
    text = REASONS.get(kind, "")
    if kind in ("choice", "exact_choice") and choices:
        text += f" ({', '.join(choices)})"
    return text

"""People: one row per person record an agency holds, the input of linkage (`vrhub.linkage`).

Unlike every other source, its rows never reach a warehouse table as they are: the names, date of birth,
address and references go to the linkage vault, encrypted, and the warehouse receives only pseudonymous
keys (`person_links`). So the spec is read two ways:

- `SPEC` marks every identifying column an identifier: what the quarantine keeps of a bad row (its raw row
  and value) is then a pseudonym, as for any other source's identifiers;
- `CLEAR` is the same file typed for the vault: every column as the text it holds (trimmed, blank as NULL),
  so nothing is hashed that the vault must keep and the linkage compare.

Only a missing `record_ref` (a record that cannot be named, corrected or purged) or a reference to a source
vrhub does not know stops a row. A missing or impossible date of birth, an unknown sex, a postcode that is
not a UK one or an NHS number that fails its check are kept as they are: the linkage reads them as unknown
(see `vrhub.linkage.prepare`), and a person is never dropped for them.
"""

from __future__ import annotations

from dataclasses import replace

from vrhub.sources.reading import Header
from vrhub.sources.spec import Column, RowCheck, SourceSpec
from vrhub.sources.staging import raw_value
from vrhub.sources.values import sql_list

NAME = "people"

# The sources a `source_ref` may be a reference of, and the column that source keeps it in (pseudonymised
# the same way, so a linked person reaches its events by a join): intervention participants and pupils too,
# whom cohorts follow.
LINKED_SOURCES: dict[str, tuple[str, str]] = {
    "police-records": ("police_records", "person_key"),
    "ed-attendances": ("ed_attendances", "attendance_key"),
    "hospital-admissions": ("hospital_admissions", "admission_key"),
    "participants": ("participants", "participant_key"),
    "education-records": ("education_records", "pupil_key"),
}

UNKNOWN_SOURCE = "not a source a person's reference can point to (expected one of: {})"
REF_WITHOUT_SOURCE = "source_ref is given but source is blank: which source is it a reference of?"


def _unknown_source(header: Header) -> str | None:
    column = header.find("source")
    if column is None:
        return None
    value = f"lower({raw_value(column)})"
    return f"{value} IS NOT NULL AND NOT list_contains({sql_list(list(LINKED_SOURCES))}, {value})"


def _ref_without_source(header: Header) -> str | None:
    ref, source = header.find("source_ref"), header.find("source")
    if ref is None:
        return None
    blank_source = "true" if source is None else f"{raw_value(source)} IS NULL"
    return f"{raw_value(ref)} IS NOT NULL AND {blank_source}"


IDENTIFYING = ("forename", "surname", "date_of_birth", "sex", "postcode", "address", "nhs_number", "email")

SPEC = SourceSpec(
    name=NAME,
    table="person_links",
    title="People: one row per person record an agency holds (for linkage)",
    columns=(
        Column("record_ref", "identifier"),
        Column("forename", "identifier", required=False, nullable=True),
        Column("surname", "identifier", required=False, nullable=True),
        Column("date_of_birth", "identifier", required=False, nullable=True),
        Column("sex", "identifier", required=False, nullable=True),
        Column("postcode", "identifier", required=False, nullable=True),
        Column("address", "identifier", required=False, nullable=True),
        Column("nhs_number", "identifier", required=False, nullable=True),
        Column("email", "identifier", required=False, nullable=True),
        Column("source", "text", required=False, nullable=True),
        Column("source_ref", "identifier", required=False, nullable=True),
    ),
    key=("record_ref",),
    checks=(
        RowCheck("source", UNKNOWN_SOURCE.format(", ".join(LINKED_SOURCES)), _unknown_source),
        RowCheck("source_ref", REF_WITHOUT_SOURCE, _ref_without_source),
    ),
)

# The file as the vault keeps it: every value as written (trimmed), nothing hashed. A missing record_ref is
# still a problem: `text` that is not nullable is checked for a missing value like an identifier.
CLEAR = replace(SPEC, columns=tuple(replace(c, kind="text") for c in SPEC.columns))

"""People records made comparable: the vault's current records as the columns the model compares.

One DuckDB query, whatever engine links them afterwards (the Spark engine is handed its result), so the same
records are compared the same way everywhere. Nothing is dropped: a value that cannot be read becomes
unknown (NULL), or stays as the text it is where a typo level can still use it.

- Names: lower case, accents and anything but letters removed (`O'Neil-Smith` -> `oneilsmith`). A forename
  also gets its formal form from a table of common English diminutives (`bill` -> `william`).
- Date of birth: written as `YYYY-MM-DD` where it reads as a date in one of the formats agencies use; an
  impossible one (`1984-13-45`) or one in another shape is kept as the text it is, where it still counts as
  an exact or a one-character typo match; the parsed date is NULL for it.
- Sex: `M`, `F`, else unknown.
- Postcode: upper case, one space before the last three characters when it is shaped like a UK postcode,
  else kept as its text (a foreign address); sector and district from the UK shape.
- Address: lower case, punctuation removed, spaces collapsed.
- NHS number: its ten digits where they pass the Modulus 11 check, else unknown (a mistyped number would
  link the wrong person).
- Email: trimmed, lower case (addresses are not told apart by case in practice); its user part (before
  the `@`) apart, which stays when a person writes the same name at another provider.
"""

from __future__ import annotations

from importlib import resources

import pyarrow as pa

from vrhub.sources.identifiers import comparable

# Record ids: the load and the row of its file, in one 64-bit integer (a file has far fewer than 2**32 rows).
ROW_BITS = 32
DATE_FORMATS = "['%Y-%m-%d', '%d/%m/%Y', '%d-%m-%Y', '%Y/%m/%d', '%d.%m.%Y', '%Y%m%d']"
# The columns the model reads (see `vrhub.linkage.model`), beside the record's identity.
FEATURES = (
    "forename",
    "forename_formal",
    "forename_initial",
    "surname",
    "surname_initial",
    "dob",
    "dob_date",
    "dob_year",
    "dob_month_day",
    "sex",
    "postcode",
    "postcode_sector",
    "postcode_district",
    "address",
    "nhs_number",
    "email",
    "email_user",
    "email_digits",
)


def nicknames() -> pa.Table:
    """Common English diminutives and their formal names (`name`, `formal`)."""
    import pyarrow.csv as pacsv

    with resources.files("vrhub.linkage").joinpath("data/nicknames.csv").open("rb") as handle:
        return pacsv.read_csv(handle)


def _name(v: str) -> str:
    return f"nullif(regexp_replace(lower(strip_accents({v})), '[^a-z]', '', 'g'), '')"


_UK_POSTCODE = "^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"


def current_sql(records: str) -> str:
    """SQL: the vault's records (`records`: a table of `Vault.records()`) reduced to one version each, the
    latest load's, with `uid` (the version's load and row) and `since` (the first load and row the record
    came in with: the order that picks a person's anchor record, see `vrhub.linkage.clusters`)."""
    return f"""
        SELECT *, (load_id << {ROW_BITS}) + row_number AS uid,
               min((load_id << {ROW_BITS}) + row_number) OVER (PARTITION BY agency, record_ref) AS since
        FROM {records}
        QUALIFY row_number() OVER (PARTITION BY agency, record_ref ORDER BY load_id DESC) = 1"""


def features_sql(current: str, nicknames_table: str) -> str:
    """SQL: the comparable columns (`FEATURES`) of each current record, with `uid`, `since`, `agency`."""
    dob = "trim(date_of_birth)"
    parsed = f"CAST(try_strptime({dob}, {DATE_FORMATS}) AS DATE)"
    squashed = "upper(regexp_replace(postcode, '[^A-Za-z0-9]', '', 'g'))"
    uk = f"regexp_matches({squashed}, '{_UK_POSTCODE}')"
    postcode = (
        f"CASE WHEN {uk} THEN left({squashed}, length({squashed}) - 3) || ' ' || right({squashed}, 3) "
        "ELSE nullif(upper(trim(postcode)), '') END"
    )
    address = "nullif(trim(regexp_replace(lower(address), '[^a-z0-9]+', ' ', 'g')), '')"
    return f"""
        WITH cleaned AS (
            SELECT uid, since, agency,
                   {_name("forename")} AS forename,
                   {_name("surname")} AS surname,
                   coalesce(strftime({parsed}, '%Y-%m-%d'), nullif({dob}, '')) AS dob,
                   {parsed} AS dob_date,
                   CASE upper(trim(sex)) WHEN 'M' THEN 'M' WHEN 'MALE' THEN 'M' WHEN 'F' THEN 'F'
                                         WHEN 'FEMALE' THEN 'F' END AS sex,
                   {postcode} AS postcode,
                   {uk} AS uk_postcode,
                   {address} AS address,
                   {comparable("nhs_number", "nhs_number")} AS nhs_number,
                   nullif(lower(trim(email)), '') AS email
            FROM {current})
        SELECT c.uid, c.since, c.agency,
               c.forename, coalesce(n.formal, c.forename) AS forename_formal,
               left(c.forename, 1) AS forename_initial,
               c.surname, left(c.surname, 1) AS surname_initial,
               c.dob, c.dob_date, left(c.dob, 4) AS dob_year, substr(c.dob, 6, 5) AS dob_month_day,
               c.sex, c.postcode,
               CASE WHEN c.uk_postcode THEN left(c.postcode, length(c.postcode) - 2) END AS postcode_sector,
               CASE WHEN c.uk_postcode THEN split_part(c.postcode, ' ', 1) END AS postcode_district,
               c.address, c.nhs_number,
               c.email, nullif(split_part(c.email, '@', 1), '') AS email_user,
               regexp_replace(split_part(c.email, '@', 1), '[^0-9]', '', 'g') AS email_digits
        FROM cleaned c LEFT JOIN {nicknames_table} n ON n.name = c.forename"""

"""The warehouse's tables. docs/architecture.md describes each one for analysts writing `vrhub sql`."""

from __future__ import annotations

import ibis

# Columns every record table carries: which load brought the row; the key of its content, which makes
# re-loading a file add nothing; and the key of the record it is a version of (its source key: a crime and
# person, an attendance...), by which a later load's corrected row supersedes it. `record_key` is NULL for
# a row with no source key (an ED attendance without its reference): it can only be added, not corrected.
_PROVENANCE = {"load_id": "int64", "row_key": "string", "record_key": "string"}
_PLACE = {"lsoa_code": "string", "lad_code": "string", "out_of_area": "boolean"}
_PERSON = {"age": "int32", "sex": "string"}

SCHEMAS: dict[str, ibis.Schema] = {
    "loads": ibis.schema(
        {
            "load_id": "int64",
            "file_name": "string",
            "file_path": "string",
            "sha256": "string",
            "source": "string",
            "rows_read": "int64",
            "rows_loaded": "int64",
            "rows_quarantined": "int64",
            "duplicates_skipped": "int64",
            "loaded_at": "timestamp",
            "definition_version": "string",
            "rows_corrected": "int64",  # loaded rows that superseded an earlier version of their record
        }
    ),
    "quarantine": ibis.schema(
        {
            "load_id": "int64",
            "file_name": "string",
            "source": "string",
            "row_number": "int64",
            "field": "string",
            "reason": "string",
            "value": "string",
            "raw_row": "string",
        }
    ),
    # Quarantined rows a later load of the same file (source and file name) loaded: moved here from
    # `quarantine`, with the load that resolved them, so they count as quarantined no more yet stay on
    # record. Its columns are the quarantine's and `resolved_by` (set below).
    "definition_versions": ibis.schema(
        {
            "name": "string",
            "version": "string",
            "sha256": "string",
            "text": "string",
            "recorded_at": "timestamp",
        }
    ),
    "lsoa_lookup": ibis.schema(
        {
            "lsoa_vintage": "int32",
            "lsoa_code": "string",
            "lsoa_name": "string",
            "lad_code": "string",
            "lad_name": "string",
            "pfa_code": "string",
            "pfa_name": "string",
        }
    ),
    # `sex` is M, F or `all` (both sexes: what a file without a Sex column gives).
    "population": ibis.schema(
        {
            "year": "int32",
            "area_code": "string",
            "area_name": "string",
            "age": "int32",
            "population": "int64",
            "sex": "string",
        }
    ),
    "police_records": ibis.schema(
        {
            "crime_key": "string",
            "recorded_date": "date",
            "committed_date": "date",
            "offence_code": "string",
            "offence_group": "string",
            "knife": "boolean",
            "firearm": "boolean",
            "domestic": "boolean",
            **_PLACE,
            "person_role": "string",
            "person_key": "string",
            **_PERSON,
            "sv_local": "boolean",
            "sv_home_office": "boolean",
            **_PROVENANCE,
        }
    ),
    "police_uk_crimes": ibis.schema(
        {
            "crime_id": "string",
            "month": "date",
            "reported_by": "string",
            "falls_within": "string",
            "longitude": "float64",
            "latitude": "float64",
            "location": "string",
            "lsoa_code": "string",
            "lsoa_name": "string",
            "lad_code": "string",
            "out_of_area": "boolean",
            "crime_type": "string",
            "last_outcome_category": "string",
            "context": "string",
            "sv_proxy": "boolean",
            **_PROVENANCE,
        }
    ),
    "ed_attendances": ibis.schema(
        {
            "attendance_key": "string",
            "site_code": "string",
            "arrival_at": "timestamp",
            "assault_at": "timestamp",
            "assault_method": "string",
            "assault_method_other": "string",
            "location_type": "string",
            "location_description": "string",
            **_PERSON,
            "incident_lsoa": "string",
            "home_lsoa": "string",
            **_PLACE,
            "admitted": "boolean",
            "police_informed": "boolean",
            **_PROVENANCE,
        }
    ),
    "hospital_admissions": ibis.schema(
        {
            "admission_key": "string",
            "nhs_number_key": "string",
            "admission_date": "date",
            "icd10_cause": "string",
            "cause_group": "string",
            **_PERSON,
            **_PLACE,
            **_PROVENANCE,
            # HES/SUS diagnosis positions, and whether X99 (assault by sharp object) is in any of them or in
            # icd10_cause (sources/hospital_admissions.py).
            **{f"diag_{i:02d}": "string" for i in range(1, 21)},
            "sharp_object_any_position": "boolean",
        }
    ),
    "ambulance_callouts": ibis.schema(
        {
            "incident_key": "string",
            "call_at": "timestamp",
            "category": "string",
            **_PERSON,
            **_PLACE,
            **_PROVENANCE,
        }
    ),
    "fire_incidents": ibis.schema(
        {
            "incident_key": "string",
            "incident_date": "date",
            "incident_type": "string",
            **_PLACE,
            **_PROVENANCE,
        }
    ),
    # Pupil-level education events (sources/education_records.py) and intervention participants
    # (sources/participants.py): the records cohorts are drawn from and NEET is followed in.
    "education_records": ibis.schema(
        {
            "pupil_key": "string",
            "event_type": "string",
            "start_date": "date",
            "end_date": "date",
            "provider": "string",
            "postcode_district": "string",
            **_PLACE,
            **_PERSON,
            **_PROVENANCE,
        }
    ),
    "participants": ibis.schema(
        {
            "participant_key": "string",
            "intervention": "string",
            "start_date": "date",
            "end_date": "date",
            **_PLACE,
            **_PERSON,
            **_PROVENANCE,
        }
    ),
    # Event measures counted at load (measures/cube.py): what a measures request reads instead of records.
    "measure_counts": ibis.schema(
        {
            "source": "string",
            "sig": "string",
            "month": "date",
            "lad_code": "string",
            "breakdown": "string",
            "value": "int64",
        }
    ),
    "measure_count_specs": ibis.schema(
        {"source": "string", "sig": "string", "counts": "string", "counted_at": "timestamp"}
    ),
    # Facts about the warehouse itself, fixed when it was made (the pseudonym scheme its keys use).
    "warehouse_settings": ibis.schema({"name": "string", "value": "string"}),
    "indicators": ibis.schema(
        {
            "indicator_id": "string",
            "area_code": "string",
            "period": "string",
            "value": "float64",
            "unit": "string",
            "note": "string",
            **_PROVENANCE,
        }
    ),
    # Who is who across agencies (vrhub.linkage): one row per people record the linkage holds, with only
    # pseudonyms. `record_key` is the pseudonym of the agency's record_ref; `source_key` the pseudonym of
    # its source_ref made as `source` stores it (police_records.person_key, ed_attendances.attendance_key,
    # hospital_admissions.admission_key), so a person's events are a join away; `person_id` names the
    # person: a keyed hash of the person's earliest record, so it stands while that person's records do.
    "person_links": ibis.schema(
        {
            "agency": "string",
            "record_key": "string",
            "source": "string",
            "source_key": "string",
            "person_id": "string",
            "run_id": "int64",
            "load_id": "int64",
            "file_name": "string",
            "row_number": "int64",
        }
    ),
}

# Columns holding pseudonyms outside the record tables: `vrhub key rotate` hashes them again with the rest.
PSEUDONYM_COLUMNS: dict[str, tuple[str, ...]] = {"person_links": ("record_key", "source_key", "person_id")}

# The record tables: each keeps its superseded versions in `<table>_history` (its columns and the load that
# superseded the row), so a figure can be reproduced as the warehouse stood at an earlier load.
RECORD_TABLES = (
    "police_records",
    "police_uk_crimes",
    "ed_attendances",
    "hospital_admissions",
    "ambulance_callouts",
    "fire_incidents",
    "indicators",
)


# Record tables made after record versions were (migration 5, which gave the tables above their history):
# their own migration makes them and their history together.
PERSON_RECORD_TABLES = ("education_records", "participants")


def history_table(table: str) -> str:
    return f"{table}_history"


for _table in (*RECORD_TABLES, *PERSON_RECORD_TABLES):
    SCHEMAS[history_table(_table)] = ibis.schema({**SCHEMAS[_table], "superseded_by": "int64"})
SCHEMAS["quarantine_resolved"] = ibis.schema({**SCHEMAS["quarantine"], "resolved_by": "int64"})

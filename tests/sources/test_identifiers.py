"""Personal identifiers are never stored in clear: not in the record tables, not in the quarantine (its
values and raw rows, rejected lines included), not in the loads. Stored keys are keyed-hash pseudonyms
(keyed SHA-256 truncated to 128 bits; HMAC-SHA256 in a warehouse made before that scheme) under a key kept
outside the warehouse."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, TEST_KEY
from tests.sources.helpers import ingest, rows, string_columns, write_lines
from vrhub.config import settings
from vrhub.hub import Hub
from vrhub.pseudonymise import HMAC_SHA256, KEYED_SHA256_128, pseudonym
from vrhub.warehouse.metadata import PSEUDONYM_SCHEME, get_setting, set_setting

pytestmark = pytest.mark.slow

# The identifiers in the fixtures, by their shape (a crime reference, a person reference, NHS numbers...).
IDENTIFIER = re.compile(
    r"MP/19/\d{6}|PERS-\d{4}|ED-\d{4}|ADM-\d{4}|AMB-\d{4}|FIRE-\d{4}|\b9[48]\d{8}\b|Smith"
)
SOURCES = ["police-records", "ed-attendances", "hospital-admissions", "ambulance", "fire"]


def identifiers_in(path: Path) -> set[str]:
    return set(IDENTIFIER.findall(path.read_text()))


def clear_identifiers_stored(hub: Hub, identifiers: set[str]) -> list[tuple[str, str, str]]:
    """(table, column, identifier) wherever an identifier appears in any string column of any table."""
    values = ", ".join("('" + i.replace("'", "''") + "')" for i in sorted(identifiers))
    found: list[tuple[str, str, str]] = []
    with hub.open(read_only=True) as wh:
        for table, columns in string_columns(hub).items():
            if not columns:
                continue
            cells = " UNION ALL ".join(f'SELECT \'{c}\' AS col, "{c}" AS val FROM "{table}"' for c in columns)
            hits = wh.con.sql(
                f"SELECT DISTINCT col, i.v FROM ({cells}) t, (VALUES {values}) i(v) "
                "WHERE contains(t.val, i.v)"
            ).to_pyarrow()
            found += [
                (table, c, v) for c, v in zip(hits["col"].to_pylist(), hits["v"].to_pylist(), strict=True)
            ]
    return found


def leaky_file(tmp_path: Path) -> Path:
    """Rows whose identifiers move: an unquoted comma before the person reference with the last column
    blank (DuckDB then drops the empty last field and shifts the values right), one too many fields, one
    too few, and a quoted comma before the identifiers."""
    return write_lines(
        tmp_path / "moved.csv",
        [
            "domestic_flag,lsoa_code,person_role,person_ref,crime_ref,recorded_date,committed_date,offence_code,"
            "knife_flag,firearm_flag,age,sex",
            "N,E01006412,victim,Smith,PERS-0901,MP/19/000901,2019-03-02,2019-03-01,8N,Y,N,19,",
            "N,E01006412,victim,PERS-0902,MP/19/000902,2019-03-02,2019-03-01,8N,Y,N,19,M,extra,fields",
            "N,E01006412,PERS-0903,MP/19/000903,2019-03-02,2019-03-01,8N,Y,N,19,M",
            'N,"E01006412, or near",victim,PERS-0904,MP/19/000904,2019-03-02,2019-03-01,8N,Y,N,130,M',
        ],
    )


def test_no_identifier_is_stored_in_clear_anywhere(hub: Hub, key: bytes, tmp_path: Path) -> None:
    identifiers: set[str] = set()
    for source in SOURCES:
        for name in ("good.csv", "bad.csv"):
            path = FIXTURES / source / name
            identifiers |= identifiers_in(path)
            ingest(hub, source, path)
    moved = leaky_file(tmp_path)
    identifiers |= identifiers_in(moved)
    summary = ingest(hub, "police-records", moved)
    assert summary.rows_quarantined == 4
    assert len(identifiers) > 60 and {"PERS-0206", "9434765145", "ED-0105", "PERS-0901"} <= identifiers
    # The scan finds what is there: quarantine reasons and values are stored (the check is not vacuous).
    assert ("quarantine", "raw_row", "victim") in clear_identifiers_stored(hub, {"victim"})
    assert clear_identifiers_stored(hub, identifiers) == []
    # ... and neither is the key.
    assert clear_identifiers_stored(hub, {TEST_KEY}) == []


def test_shifted_identifiers_are_hashed_in_the_quarantine(hub: Hub, key: bytes, tmp_path: Path) -> None:
    ingest(hub, "police-records", leaky_file(tmp_path))
    q = {(r["row_number"], r["field"]): r for r in hub.quarantine("moved.csv").to_pylist()}
    # Row 2 read whole but shifted: PERS-0901 landed in crime_ref, MP/19/000901 in recorded_date.
    assert q[(2, "recorded_date")]["value"] == pseudonym(key, "MP/19/000901")
    assert f'"crime_ref":"{pseudonym(key, "PERS-0901")}"' in q[(2, "recorded_date")]["raw_row"]
    # Values that cannot have moved stay readable, so the row can be found and fixed.
    assert q[(5, "age")]["value"] == "130"
    assert '"offence_code":"8N"' in q[(5, "age")]["raw_row"]


def test_stored_keys_are_the_pseudonyms_of_the_identifiers_and_link_across_loads(
    hub: Hub, key: bytes, tmp_path: Path
) -> None:
    ingest(hub, "police-records", FIXTURES / "police-records" / "good.csv")
    later = write_lines(
        tmp_path / "later.csv",
        [
            "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,"
            "person_role,person_ref,age,sex",
            "MP/20/000001,2020-01-02,2020-01-01,5D,Y,N,N,E01006412,victim,PERS-0001,20,M",
        ],
    )
    ingest(hub, "police-records", later)
    keys = rows(
        hub,
        "SELECT DISTINCT crime_key, person_key, load_id FROM police_records WHERE age IN (19, 20) "
        "AND person_role = 'victim'",
    )
    assert {r["person_key"] for r in keys} == {pseudonym(key, "PERS-0001")}
    assert len({r["load_id"] for r in keys}) == 2
    assert {r["crime_key"] for r in keys} == {pseudonym(key, "MP/19/000123"), pseudonym(key, "MP/20/000001")}
    ingest(hub, "hospital-admissions", FIXTURES / "hospital-admissions" / "good.csv")
    nhs = rows(hub, "SELECT nhs_number_key FROM hospital_admissions WHERE nhs_number_key IS NOT NULL")
    assert {r["nhs_number_key"] for r in nhs} == {
        pseudonym(key, n) for n in ("9434765919", "9434765870", "9876543210", "9876543229")
    }


LATER = [
    "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,"
    "person_role,person_ref,age,sex",
    "MP/20/000001,2020-01-02,2020-01-01,5D,Y,N,N,E01006412,victim,PERS-0001,20,M",
]


def test_a_new_warehouse_uses_the_keyed_sha256_scheme(hub: Hub, key: bytes) -> None:
    with hub.open(read_only=True) as wh:
        assert get_setting(wh, PSEUDONYM_SCHEME) == KEYED_SHA256_128
    ingest(hub, "fire", FIXTURES / "fire" / "good.csv")
    found = {r["incident_key"] for r in rows(hub, "SELECT incident_key FROM fire_incidents")}
    assert pseudonym(key, "FIRE-0001") in found and all(len(k) == 32 for k in found - {None})


def test_a_warehouse_holding_hmac_pseudonyms_keeps_them_after_the_upgrade_and_still_links(
    hub: Hub, key: bytes, tmp_path: Path
) -> None:
    # A warehouse as vrhub made it before the keyed scheme: HMAC pseudonyms, no record of the scheme.
    with hub.open() as wh:
        set_setting(wh, PSEUDONYM_SCHEME, HMAC_SHA256)
    ingest(hub, "police-records", FIXTURES / "police-records" / "good.csv")
    with hub.open() as wh:
        wh.execute("DROP TABLE warehouse_settings")
        wh.execute("DELETE FROM schema_migrations WHERE version = 4")
    hub.init()  # the upgrade: migration 4 finds pseudonyms already stored
    with hub.open(read_only=True) as wh:
        assert get_setting(wh, PSEUDONYM_SCHEME) == HMAC_SHA256
    ingest(hub, "police-records", write_lines(tmp_path / "later.csv", LATER))
    keys = rows(
        hub,
        "SELECT DISTINCT person_key, load_id FROM police_records "
        "WHERE age IN (19, 20) AND person_role = 'victim'",
    )
    assert {r["person_key"] for r in keys} == {pseudonym(key, "PERS-0001", HMAC_SHA256)}
    assert len({r["load_id"] for r in keys}) == 2  # the same person in both loads: linked


def test_a_different_key_gives_different_pseudonyms(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hub = Hub(settings(data_dir=data_dir))
    monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", "another key, at least 32 bytes long")
    ingest(hub, "fire", FIXTURES / "fire" / "good.csv")
    found = {r["incident_key"] for r in rows(hub, "SELECT incident_key FROM fire_incidents")}
    assert pseudonym(b"another key, at least 32 bytes long", "FIRE-0001") in found
    assert pseudonym(TEST_KEY.encode(), "FIRE-0001") not in found


def test_the_key_file_is_created_owner_only_in_the_data_folder_and_reused(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VRHUB_PSEUDONYM_KEY", raising=False)
    hub = Hub(settings(data_dir=data_dir))
    key_file = data_dir / "pseudonym.key"
    assert not key_file.exists()
    ingest(hub, "fire", FIXTURES / "fire" / "good.csv")
    assert key_file.is_file() and stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    secret = key_file.read_bytes().strip()
    assert len(secret) >= 32
    ingest(hub, "ambulance", FIXTURES / "ambulance" / "good.csv")
    assert key_file.read_bytes().strip() == secret  # created once, then reused
    assert rows(
        hub,
        "SELECT incident_key FROM fire_incidents WHERE incident_date = '2019-03-02' "
        "AND incident_type = 'deliberate_primary'",
    ) == [{"incident_key": pseudonym(secret, "FIRE-0001")}]
    # The key is never inside the warehouse, and the warehouse cannot read the key file through SQL.
    assert clear_identifiers_stored(hub, {secret.decode()}) == []
    assert secret not in (data_dir / "warehouse.duckdb").read_bytes()
    with pytest.raises(Exception, match="(?i)file system operations are disabled|Permission|not allowed"):
        hub.sql(f"SELECT * FROM read_text('{key_file}')")


def test_a_column_vrhub_does_not_know_is_kept_only_hashed_in_the_quarantine(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "with-surname.csv"
    header = "incident_ref,incident_date,incident_type,lsoa_code,surname"
    path.write_text(f"{header}\nFIRE-9,not a date,deliberate_primary,E01006412,Smithson-Clear\n")
    summary = ingest(hub, "fire", path)
    assert summary.rows_quarantined == 1
    [held] = hub.quarantine("with-surname.csv").to_pylist()
    assert "Smithson-Clear" not in held["raw_row"]
    assert pseudonym(TEST_KEY.encode(), "Smithson-Clear") in held["raw_row"]

"""The library's front door: each CLI command (and later each web view) is one call on `Hub`."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from vrhub.config import Settings, snapshots_wanted
from vrhub.errors import BadValue, ReadOnlySql, VrhubError, WarehouseInUse, one_of

# The rest of the library (Ibis, DuckDB, pandas, scipy) is imported by the methods that use it: importing
# the front door costs nothing, so `vrhub demo` speaks before the seconds these take on a cold start.
if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from vrhub.analysis.hotspots import HotspotResult
    from vrhub.analysis.series import Trend
    from vrhub.cohorts.outcomes import CohortOutcomes
    from vrhub.evaluation import PlaceResult
    from vrhub.exports import Export
    from vrhub.linkage.ingest import PeopleLoadSummary
    from vrhub.linkage.quality import LinkQuality
    from vrhub.linkage.run import LinkRun
    from vrhub.measures import MeasureRequest, MeasureResult
    from vrhub.pseudonymise import Pseudonymiser
    from vrhub.quality import QualityReport
    from vrhub.reports import Report
    from vrhub.sources.ingest import LoadSummary
    from vrhub.warehouse import SharedWarehouse, Warehouse
    from vrhub.warehouse.loaded import LoadSlice
    from vrhub.warehouse.migrations import Migration
    from vrhub.warehouse.snapshots import Manifest


def definitions_version() -> str:
    """The definitions in force, as recorded on every load."""
    from vrhub.definitions import definitions

    return ";".join(d.label for d in sorted(definitions().values(), key=lambda d: d.name))


def migrations() -> list[Migration]:
    """Every floor's migrations: the warehouse's schema, the sources' and the measures' data steps, the
    linkage's table."""
    from vrhub.linkage.migrations import MIGRATIONS as LINKAGE
    from vrhub.measures.migrations import MIGRATIONS as MEASURES
    from vrhub.sources.migrations import MIGRATIONS as SOURCES
    from vrhub.warehouse.migrations import MIGRATIONS as STORAGE

    return sorted([*STORAGE, *SOURCES, *MEASURES, *LINKAGE], key=lambda m: m[0])


class Hub:
    def __init__(
        self,
        settings: Settings,
        shared: SharedWarehouse | None = None,
        notice: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        # A server passes the one warehouse its threads share; a command opens its own.
        self.shared = shared
        # Hears what a reader should know beside the answer (that it came from the snapshot).
        self.notice = notice
        self._snapshot_deferred = False

    def open(self, read_only: bool = False) -> Warehouse:
        from vrhub.warehouse import open_warehouse

        if self.shared is not None:
            wh = self.shared.open(read_only=read_only)
        else:
            wh = open_warehouse(self.settings.warehouse, read_only=read_only)
        if not read_only:
            from vrhub.measures.cube import recount

            wh.listen(recount)  # a load's counts are made in its own transaction
        return wh

    # -- the snapshot other processes read (vrhub.warehouse.snapshots) ------------------------------------
    @contextlib.contextmanager
    def _read(self) -> Iterator[Warehouse]:
        """The warehouse to read; while another process holds the DuckDB file, its latest snapshot."""
        try:
            wh = self.open(read_only=True)
        except WarehouseInUse:
            from vrhub.warehouse.snapshots import open_snapshot

            found = open_snapshot(self.settings.data_dir / "snapshot", self.settings.warehouse)
            if found is None:
                raise
            wh, manifest = found
            if self.notice:
                self.notice(
                    "The warehouse is in use by the server (or a load); reading the snapshot of "
                    f"{manifest.when} ({manifest.loads})."
                )
        with wh:
            yield wh

    def _publish(self, wh: Warehouse) -> Manifest | None:
        """After a write, the snapshot of the warehouse as it now stands (DuckDB only: PostgreSQL is never
        locked against readers). A failure is told, not raised: what was loaded stays loaded."""
        if self._snapshot_deferred or not wh.is_duckdb or not snapshots_wanted():
            return None
        import duckdb

        from vrhub.warehouse.snapshots import publish

        try:
            return publish(wh, self.settings.data_dir / "snapshot")
        except (OSError, duckdb.Error) as exc:
            message = f"Note: the snapshot for other tools was not published ({exc}); the last one stays."
            logging.getLogger(__name__).warning(message)
            if self.notice:
                self.notice(message)
            return None

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Warehouse]:
        """The warehouse to write; when the writing is done (or has failed part-way, having kept what it
        committed), the snapshot of what it now holds."""
        with self.open() as wh:
            try:
                yield wh
            finally:
                self._publish(wh)

    def publish_snapshot(self) -> Manifest | None:
        with self.open(read_only=self.shared is None) as wh:
            return self._publish(wh)

    @contextlib.contextmanager
    def _one_snapshot(self) -> Iterator[None]:
        """Many writes, one snapshot published at the end (the demo's loads)."""
        self._snapshot_deferred = True
        try:
            yield
        finally:
            self._snapshot_deferred = False
        self.publish_snapshot()

    # -- set-up --------------------------------------------------------------------------------------
    def init(self) -> list[int]:
        """Create or upgrade the schema and load the shipped reference data where none is loaded."""
        from vrhub import keys

        with self._writing() as wh:
            applied = self._ensure_ready(wh)
            keys.guarded_key(wh, self.settings.key_file)  # a new warehouse records its key's fingerprint
            return applied

    def _pseudonymiser(self, wh: Warehouse) -> Pseudonymiser:
        """The warehouse's own key (refused if missing or different), with its pseudonym scheme."""
        from vrhub import keys

        return keys.pseudonymiser(wh, self.settings.key_file)

    def key_check(self) -> str:
        from vrhub import keys

        with self.open(read_only=True) as wh:
            return keys.check(wh, self.settings.key_file)

    def key_rotate(self) -> int:
        from vrhub import keys

        with self._writing() as wh:  # the snapshot's pseudonyms must be the new key's too
            self._ensure_ready(wh)
            return keys.rotate(wh, self.settings.key_file)

    def _ensure_ready(self, wh: Warehouse) -> list[int]:
        from vrhub.sources.reference import bundled_files, load_reference
        from vrhub.warehouse.migrations import migrate

        applied = migrate(wh, migrations())
        if wh.table("lsoa_lookup").count().to_pyarrow().as_py() == 0:
            for kind, path, year in bundled_files():
                load_reference(wh, kind, path, year)
        self._record_definitions(wh)
        return applied

    def _record_definitions(self, wh: Warehouse) -> None:
        import pyarrow as pa

        from vrhub.definitions import definitions
        from vrhub.warehouse.tables import SCHEMAS

        known = set(wh.table("definition_versions").sha256.to_pyarrow().to_pylist())
        new = [d for d in definitions().values() if d.sha256 not in known]
        if new:
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            rows = {
                "name": [d.name for d in new],
                "version": [d.label for d in new],
                "sha256": [d.sha256 for d in new],
                "text": [d.text for d in new],
                "recorded_at": [now] * len(new),
            }
            wh.insert(
                "definition_versions", pa.table(rows, schema=SCHEMAS["definition_versions"].to_pyarrow())
            )

    # -- loading -------------------------------------------------------------------------------------
    def ingest(
        self,
        source: str,
        paths: Iterable[Path],
        encoding: str | None = None,
        year: int | None = None,
        progress: Callable[[Path, str], None] | None = None,
    ) -> Iterable[LoadSummary]:
        """Load each file in turn; yields one summary per file. A refused file raises `InputRefused`."""
        import duckdb
        import ibis

        from vrhub.sources import REFERENCE_SOURCES, get_source
        from vrhub.sources.context import IngestContext
        from vrhub.sources.ingest import ingest_file
        from vrhub.sources.reference import load_reference
        from vrhub.warehouse.connection import storage_failure

        paths = list(paths)
        for path in paths:
            if not path.is_file():
                raise VrhubError(
                    f"{path}: no such file",
                    "Check the path; quote names that contain spaces.",
                    parameter="files",
                    value=path,
                )
        spec = None if source in REFERENCE_SOURCES else get_source(source)
        with self._writing() as wh:
            self._ensure_ready(wh)
            pseudonyms = self._pseudonymiser(wh)  # one key and scheme for every file of the call
            for path in paths:
                ctx = IngestContext(
                    con=wh.con if wh.is_duckdb else ibis.duckdb.connect(),
                    pseudonyms=pseudonyms,
                    lookup=wh.table("lsoa_lookup")
                    if wh.is_duckdb
                    else ibis.memtable(wh.to_arrow(wh.table("lsoa_lookup"))),
                    definition_version=definitions_version(),
                )
                note = (lambda stage, p=path: progress(p, stage)) if progress else None
                try:
                    if spec is None:
                        yield load_reference(wh, source, path, year, ctx, encoding=encoding, progress=note)
                    else:
                        yield ingest_file(wh, spec, path, ctx, encoding=encoding, progress=note)
                except (OSError, duckdb.Error) as exc:
                    failure = storage_failure(exc, f"loading {path}")
                    if failure is None:
                        raise
                    raise failure from None

    def report(self, out_dir: Path | None = None, edition: str = "partner") -> Report:
        from vrhub.reports import write_report

        if edition not in ("partner", "public"):
            raise BadValue(
                f"unknown edition '{edition}'",
                one_of(("partner", "public")),
                parameter="edition",
                value=edition,
            )
        with self.open(read_only=True) as wh:
            return write_report(wh, out_dir or self.settings.reports_dir, edition, definitions_version())

    def demo(
        self,
        seed: int = 2022,
        progress: Callable[[str], None] | None = None,
        step: Callable[[str], None] | None = None,
        after_loads: Callable[[Hub], None] | None = None,
    ) -> Report:
        """Generate the demo data, load all of it, compute the measures and write the report.

        `progress` hears each stage as it starts (before the imports and work it needs) and each file's
        counts; `step` hears the passing steps within a file's load (checking, reading, loading).
        `after_loads` makes the loads of callers above the library (the web application's delivery
        indicators) before the measures and the report are written, so that those hold every load."""
        note = progress or (lambda _message: None)
        folder = self.settings.data_dir / "demo-input"
        note(f"Generating demo data in {folder}...")
        from vrhub.measures import MeasureRequest, output
        from vrhub.synth import generate_demo

        files = generate_demo(folder, seed=seed)
        note(f"Creating the warehouse {self.settings.warehouse} and loading the reference data...")
        with self._one_snapshot():  # one snapshot of all the loads, not one per file
            self.init()
            for number, (source, path) in enumerate(files.items(), start=1):
                note(f"Loading {source} ({number} of {len(files)}): {path.name}...")
                each = (lambda p, stage: step(f"{p.name}: {stage}")) if step else None
                for summary in self.ingest(source, [path], progress=each):
                    note(
                        f"{source}: {summary.rows_loaded:,} rows loaded, "
                        f"{summary.rows_quarantined:,} quarantined, "
                        f"{summary.duplicates_skipped:,} duplicates skipped"
                    )
            self._demo_people(folder, note)
            if after_loads is not None:
                after_loads(self)
        note("Computing the measures...")
        result = self.measures(MeasureRequest())
        self.settings.reports_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        output.write_csv(result.table, self.settings.reports_dir / "measures.csv")
        note("Writing the report (HTML and PDF)...")
        return self.report()

    def _demo_people(self, folder: Path, note: Callable[[str], None]) -> None:
        """The demo's people: load each agency's people file, link them, and estimate the planted effects
        (synth/planted.py), one line each."""
        from vrhub.cohorts.matched import matched_words
        from vrhub.cohorts.outcomes import DEFAULT_SEED
        from vrhub.evaluation.estimate import SYNTHETIC_CONTROL
        from vrhub.synth import DEMO_PEOPLE
        from vrhub.synth.planted import INTERVENTIONS, PATROLS

        if not all((folder / file).is_file() for file in DEMO_PEOPLE.values()):
            return  # a generator without people (a test's stand-in) has no people stages
        for number, (agency, file) in enumerate(DEMO_PEOPLE.items(), start=1):
            note(
                f"Loading people of {agency} ({number} of {len(DEMO_PEOPLE)}) into the linkage vault: "
                f"{file}..."
            )
            for people in self.ingest_people([folder / file], agency):
                note(
                    f"people of {agency}: {people.rows_loaded:,} records loaded, "
                    f"{people.rows_quarantined:,} quarantined"
                )
        note("Linking people across agencies...")
        run = self.link()
        note(f"linkage: {run.records:,} people records linked into {run.people:,} people")
        for planted in INTERVENTIONS:
            name = f"participants:{planted.name}"
            note(f"Following the cohort '{name}' (the intervention's participants)...")
            outcome = self.cohort_outcomes(name, planted.follow_up, seed=DEFAULT_SEED)
            e = outcome.estimates
            # The longest follow-up the data cover: a longer one asked for has no figures.
            covered = e[(e["outcome"] == "offending") & e["follow_up_note"].isna()]
            figures = "no follow-up the data cover"
            if not covered.empty:
                row = covered.iloc[-1]
                figures = (
                    f"offending hazard ratio {row['hazard_ratio']:.2f} (95% CI {row['hr_ci_low']:.2f} to "
                    f"{row['hr_ci_high']:.2f}) at {int(row['follow_up_months'])} months"
                )
            note(
                f"{planted.name}: {figures}, "
                + matched_words(outcome.summary, e.to_dict("records"), "participants")
            )
        note(f"Evaluating the place-based intervention {PATROLS.name}...")
        place = self.evaluate_place(PATROLS.lsoas, PATROLS.start, measure=PATROLS.measure)
        sc = place.estimate(SYNTHETIC_CONTROL).row()
        note(
            f"{PATROLS.name}: {sc['effect_pct']:+.0f}% {PATROLS.measure} "
            f"(95% CI {sc['pct_low']:+.0f}% to {sc['pct_high']:+.0f}%), synthetic control"
        )

    def hotspots(
        self,
        measure: str | None = None,
        crime_type: str | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> HotspotResult:
        from vrhub.analysis.hotspots import find_hotspots
        from vrhub.measures import load_catalogue
        from vrhub.warehouse.history import snapshot

        with self._read() as wh:
            result = find_hotspots(wh, measure=measure, crime_type=crime_type, start=start, end=end)
            result.metadata["snapshot"] = snapshot(wh)
            if measure:
                result.metadata["definition_version"] = load_catalogue().get(measure).definition_version
            return result

    def evaluate_place(
        self,
        lsoas: Iterable[str],
        start: str,
        measure: str | None = None,
        crime_type: str | None = None,
        donors: str = "borough",
        end: str | None = None,
    ) -> PlaceResult:
        """The effect of a place-based intervention in `lsoas` from `start` (synthetic control, with
        difference-in-differences and an interrupted time series as checks; see docs/evaluation.md)."""
        from vrhub.evaluation import evaluate_place
        from vrhub.measures import load_catalogue
        from vrhub.warehouse.history import snapshot

        with self.open(read_only=True) as wh:
            result = evaluate_place(
                wh, lsoas, start, measure=measure, crime_type=crime_type, donors=donors, end=end
            )
            result.metadata["snapshot"] = snapshot(wh)
            if measure:
                result.metadata["definition_version"] = load_catalogue().get(measure).definition_version
            return result

    def trend(self, measure_id: str, area: str | None = None) -> Trend:
        from vrhub.analysis.series import monthly_trend
        from vrhub.config import FORCE_CODE
        from vrhub.measures import load_catalogue

        with self.open(read_only=True) as wh:
            return monthly_trend(wh, load_catalogue(), measure_id, area or FORCE_CODE)

    def quality(self, source: str | None = None) -> QualityReport:
        from vrhub.quality import check_quality
        from vrhub.quality.model import findings_frame
        from vrhub.quality.privacy import privacy_findings

        with self.open(read_only=True) as wh:
            report = check_quality(wh, source)
        exposed = privacy_findings(self.settings.data_dir)
        if exposed:
            report.findings = findings_frame([*exposed, *report.items()])
        return report

    def quarantine(self, file: str | None = None) -> pa.Table:
        with self.open(read_only=True) as wh:
            q = wh.table("quarantine")
            if file:
                q = q.filter(q.file_name == Path(file).name)
            return wh.to_arrow(q.order_by(["load_id", "row_number", "field"]))

    def loads(self) -> pa.Table:
        with self.open(read_only=True) as wh:
            return wh.to_arrow(wh.table("loads").order_by("load_id"))

    def records_of_load(
        self, table: str, load_id: int, limit: int | None = None, offset: int = 0
    ) -> LoadSlice:
        """The current rows one load brought into a record table, `limit` of them from `offset`, with the
        count of all (see `warehouse.loaded`)."""
        from vrhub.warehouse import loaded

        with self.open(read_only=True) as wh:
            return loaded.records(wh, table, load_id, limit, offset)

    def problems_of_load(
        self, load_id: int, limit: int | None = None, offset: int = 0, raw_rows: bool = False
    ) -> LoadSlice:
        """The problems one load quarantined, `limit` of them from `offset`, with the count of all."""
        from vrhub.warehouse import loaded

        with self.open(read_only=True) as wh:
            return loaded.problems(wh, load_id, limit, offset, raw_rows)

    def boroughs(self) -> pa.Table:
        """The boroughs of the loaded area lookup (lad_code, lad_name), by code."""
        from vrhub.warehouse.areas import boroughs

        with self.open(read_only=True) as wh:
            return boroughs(wh)

    # -- reading -------------------------------------------------------------------------------------
    def measures(self, request: MeasureRequest, catalogue: Path | None = None) -> MeasureResult:
        from vrhub.measures import compute, load_catalogue

        with self._read() as wh:
            return compute(wh, load_catalogue(catalogue), request)

    def definition_effect(self, name: str) -> pa.Table:
        """Per year, the police records' crimes that meet a definition's rules, those its exclusions remove
        (records flagged domestic, for the local definition) and those it counts."""
        from vrhub.definitions import exclusion_effect, get_definition

        definition = get_definition(name)
        with self.open(read_only=True) as wh:
            return wh.to_arrow(exclusion_effect(definition, wh.table(definition.applies_to)))

    def sql(self, query: str, timeout: float | None = None) -> pa.Table:
        """Run one read-only query (see `warehouse.adhoc`): anything but a query is refused before it
        reaches the warehouse, and a query is stopped after `timeout` seconds (default
        `adhoc.DEFAULT_TIMEOUT`)."""
        from vrhub.warehouse import adhoc

        if timeout is None:
            timeout = adhoc.DEFAULT_TIMEOUT

        adhoc.parse_one_query(query)
        with self._read() as wh:
            if wh.shared:
                raise ReadOnlySql(
                    "ad hoc SQL is not offered by a running server",
                    "Run `vrhub sql` against a copy of the warehouse, or stop the server first.",
                )
            return adhoc.run(wh, query, timeout)

    # -- exports (vrhub export: files the field's tools open; see vrhub.exports) ----------------------------
    def export_measures(
        self, request: MeasureRequest, out: Path, fmt: str | None = None, catalogue: Path | None = None
    ) -> Export:
        """The measures `vrhub measures` gives (every column) as Parquet, CSV or XLSX."""
        from vrhub.exports import TABLE_FORMATS, Export, chosen_format
        from vrhub.exports.tables import write_table

        fmt = chosen_format(out, fmt, TABLE_FORMATS)  # before the minutes of computing, not after
        result = self.measures(request, catalogue)
        if fmt == "csv":
            # As `vrhub measures --format csv` prints it: counts whole beside indicators' decimals.
            from vrhub.exports import replacing
            from vrhub.measures import output

            with replacing(out) as work:
                output.write_csv(result.table, work)
            written = Export(out, fmt, result.table.num_rows)
        else:
            written = write_table(result.table, out, fmt, sheet="Measures")
        for source, partial in result.partial.items():
            written.notes += [
                f"{source} has data for {n} month(s) of {p}." for p, n in sorted(partial.items())
            ]
        return written

    def export_hotspots(
        self,
        out: Path,
        fmt: str | None = None,
        measure: str | None = None,
        crime_type: str | None = None,
        start: str | None = None,
        end: str | None = None,
        crs: int = 4326,
        hot_only: bool = False,
    ) -> Export:
        """Every LSOA of a hot-spot analysis as polygons with its statistics (GeoPackage or GeoJSON)."""
        from vrhub.exports import GEO_FORMATS, chosen_format
        from vrhub.exports.geo import check_crs, write_hotspots

        fmt = chosen_format(out, fmt, GEO_FORMATS)
        check_crs(crs, fmt)
        if bool(measure) == bool(crime_type):
            raise BadValue(
                "give a measure or a crime type to map, one of them",
                "e.g. --crime-type Robbery, or --measure local_sv_offences.",
                parameter="crime_type",
            )
        return write_hotspots(self.hotspots(measure, crime_type, start, end), out, fmt, crs, hot_only)

    def export_areas(
        self, out: Path, fmt: str | None = None, level: str = "lsoa", vintage: int = 2021, crs: int = 4326
    ) -> Export:
        """The boundaries of the areas in the warehouse's lookup (GeoPackage or GeoJSON)."""
        from vrhub.exports import GEO_FORMATS, chosen_format
        from vrhub.exports.geo import write_areas

        fmt = chosen_format(out, fmt, GEO_FORMATS)
        with self._read() as wh:
            lookup = wh.to_arrow(wh.table("lsoa_lookup"))
        return write_areas(lookup, out, fmt, level, vintage, crs)

    def export_table(self, name: str, out: Path, fmt: str | None = None) -> Export:
        """One warehouse table as stored (what `vrhub sql` shows of it) as Parquet, CSV or XLSX."""
        from vrhub.exports import TABLE_FORMATS, chosen_format
        from vrhub.exports.tables import write_warehouse_table

        fmt = chosen_format(out, fmt, TABLE_FORMATS)
        with self._read() as wh:
            return write_warehouse_table(wh, name, out, fmt)

    def export_home_office_return(
        self, out: Path, period: str | None = None, area: str | None = None, catalogue: Path | None = None
    ) -> Export:
        """The Home Office VRU success-measures return as XLSX (layout: vrhub.exports.home_office)."""
        from vrhub.config import FORCE_CODE, FORCE_NAME
        from vrhub.exports import chosen_format
        from vrhub.exports.home_office import measure_ids, write_return
        from vrhub.measures import MeasureRequest, load_catalogue

        if out.suffix.lower() != ".xlsx":
            raise BadValue(
                f"the return is a workbook, not {out.name}", "Give a file name ending .xlsx.", parameter="out"
            )
        chosen_format(out, "xlsx", ("xlsx",))
        chosen = load_catalogue(catalogue)
        request = MeasureRequest(measures=measure_ids(chosen), period=period, area=area or FORCE_CODE)
        result = self.measures(request, catalogue)
        name = FORCE_NAME if request.area == FORCE_CODE else ""
        return write_return(result, chosen, request.area or FORCE_CODE, out, name)

    # -- linkage (people across agencies) ---------------------------------------------------------------
    def ingest_people(
        self,
        paths: Iterable[Path],
        agency: str,
        encoding: str | None = None,
        progress: Callable[[Path, str], None] | None = None,
        user: str | None = None,
    ) -> Iterable[PeopleLoadSummary]:
        """Load people files of one agency into the linkage vault; yields one summary per file. The
        warehouse records each load and its quarantined rows (identifiers pseudonymised), never a name."""
        import ibis

        from vrhub.linkage.ingest import ingest_people
        from vrhub.linkage.vault import Vault
        from vrhub.sources.context import IngestContext

        paths = list(paths)
        for path in paths:
            if not path.is_file():
                raise VrhubError(
                    f"{path}: no such file",
                    "Check the path; quote names that contain spaces.",
                    parameter="files",
                    value=path,
                )
        with self._writing() as wh, Vault.open(self.settings.data_dir) as vault:
            self._ensure_ready(wh)
            pseudonyms = self._pseudonymiser(wh)
            for path in paths:
                # The clear values are staged on a connection of their own, never the warehouse's.
                staging = ibis.duckdb.connect()
                ctx = IngestContext(
                    con=staging, pseudonyms=pseudonyms, lookup=None, definition_version=definitions_version()
                )
                note = (lambda stage, p=path: progress(p, stage)) if progress else None
                try:
                    yield ingest_people(
                        wh, vault, path, agency, ctx, encoding=encoding, progress=note, user=user
                    )
                finally:
                    staging.disconnect()

    def link(
        self,
        engine: str = "duckdb",
        full: bool = False,
        threshold: float | None = None,
        progress: Callable[[str], None] | None = None,
        user: str | None = None,
    ) -> LinkRun:
        """Link every people record across agencies into people, and write their pseudonymous person ids to
        the warehouse (`person_links`). Later runs link new loads incrementally unless `full`."""
        from vrhub.linkage.model import THRESHOLD
        from vrhub.linkage.run import link_people
        from vrhub.linkage.vault import Vault

        if threshold is not None and not 0 < threshold < 1:
            raise BadValue(
                f"the threshold {threshold} is not a probability between 0 and 1",
                "Give a match probability such as 0.95.",
                parameter="threshold",
                value=threshold,
            )
        with self._writing() as wh, Vault.open(self.settings.data_dir, create=False) as vault:
            self._ensure_ready(wh)
            pseudonyms = self._pseudonymiser(wh)
            return link_people(
                wh,
                vault,
                pseudonyms,
                engine=engine,
                full=full,
                threshold=THRESHOLD if threshold is None else threshold,
                user=user,
                progress=progress,
            )

    def link_clusters(self) -> pa.Table:
        """Every linked people record: `file_name`, `row_number`, `person_id` (pseudonymous)."""
        with self.open(read_only=True) as wh:
            links = wh.table("person_links")
            return wh.to_arrow(
                links.select("file_name", "row_number", "person_id").order_by(["file_name", "row_number"])
            )

    def link_quality(
        self, truth: Path | None = None, review_sample: Path | None = None, user: str | None = None
    ) -> LinkQuality:
        """How good the last linkage run is: its match weights, estimated precision and recall, and (given a
        file of `record_ref, cluster`) measured pairwise precision, recall and F1. `review_sample` writes the
        pairs nearest the threshold, with their clear identifiers, for clerical review (audited)."""
        from vrhub.linkage.quality import link_quality
        from vrhub.linkage.vault import Vault

        with self.open(read_only=True) as wh, Vault.open(self.settings.data_dir, create=False) as vault:
            pseudonyms = self._pseudonymiser(wh)
            return link_quality(wh, vault, pseudonyms, truth=truth, review_sample=review_sample, user=user)

    def link_runs(self, limit: int = 10) -> list[dict]:
        """The last `limit` linkage runs as the vault's audit recorded them, latest first: when, by whom,
        records, and the run's counts and settings (never a name: the audit keeps none)."""
        from vrhub.linkage.vault import Vault

        with Vault.open(self.settings.data_dir, create=False) as vault:
            runs = [e for e in vault.audit_events() if e["action"] == "link"]
        return runs[::-1][:limit]

    def link_purge(self, older_than: str, user: str | None = None) -> dict[str, int]:
        """Delete from the vault the people records loaded longer ago than `older_than` (`365d`, `52w`,
        `12m`, `2y`), and their person links; audited. Run the linkage again to regroup what remains."""
        from vrhub.linkage.purge import purge
        from vrhub.linkage.vault import Vault

        with self._writing() as wh, Vault.open(self.settings.data_dir, create=False) as vault:
            self._ensure_ready(wh)
            return purge(wh, vault, older_than, user=user)

    # -- cohorts -------------------------------------------------------------------------------------
    def cohorts(self, folder: Path | None = None, person_level: bool = False) -> pd.DataFrame:
        """The cohorts (rule cohorts and each intervention's participants) and their linked members,
        rounded with small numbers hidden unless `person_level` (the analyst's view)."""
        from vrhub.cohorts.catalogue import cohort_table

        with self.open(read_only=True) as wh:
            return cohort_table(wh, folder, person_level=person_level)

    def cohort_outcomes(
        self,
        name: str,
        follow_up: str | Iterable[int] = "6,12,24",
        seed: int | None = None,
        person_level: bool = False,
        folder: Path | None = None,
    ) -> CohortOutcomes:
        """A cohort's outcomes against a matched comparison group (see `vrhub.cohorts.outcomes`). Aggregates
        under the small-number rules, unless `person_level`: the analyst's view, with every person's times
        (the web asks for it only for analysts, and audits each view)."""
        from vrhub.cohorts.catalogue import get_cohort
        from vrhub.cohorts.outcomes import DEFAULT_SEED, cohort_outcomes, parse_follow_up

        months = parse_follow_up(follow_up if isinstance(follow_up, str) else list(follow_up))
        with self.open(read_only=True) as wh:
            cohort = get_cohort(wh, name, folder)
            return cohort_outcomes(
                wh, cohort, months, seed=DEFAULT_SEED if seed is None else seed, person_level=person_level
            )

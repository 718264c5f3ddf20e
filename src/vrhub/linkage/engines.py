"""Where splink scores pairs: DuckDB in this process (the default), or Spark, in local mode here and on a
cluster at national scale. Both are handed the same prepared records and settings and give back the scored
pairs as Arrow; everything before and after (preparing records, clustering, person ids) is the same code."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import warnings
from typing import Any

import pyarrow as pa
from splink import Linker, SettingsCreator

from vrhub.errors import BadValue, VrhubError

ENGINES = ("duckdb", "spark")
PAIR_COLUMNS = ["uid_l", "uid_r", "match_weight"]


class Engine:
    name = ""

    def linker(self, records: pa.Table, settings: SettingsCreator | dict[str, Any]) -> Linker:
        raise NotImplementedError

    def register(self, records: pa.Table) -> Any:
        raise NotImplementedError

    def pairs(self, scored: Any) -> pa.Table:
        raise NotImplementedError

    def close(self) -> None:
        pass


class DuckDBEngine(Engine):
    name = "duckdb"

    def __init__(self) -> None:
        import duckdb
        from splink import DuckDBAPI

        # A connection of its own, in memory: splink's working tables hold clear names.
        self.con = duckdb.connect()
        self.api = DuckDBAPI(self.con)

    def linker(self, records: pa.Table, settings: SettingsCreator | dict[str, Any]) -> Linker:
        return Linker(self.register(records), settings, log_level=None)

    def register(self, records: pa.Table) -> Any:
        return self.api.register(records)

    def pairs(self, scored: Any) -> pa.Table:
        return scored.as_duckdbpyrelation().select(", ".join(PAIR_COLUMNS)).to_arrow_table()

    def close(self) -> None:
        self.con.close()


_LOG4J = """rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
"""


class SparkEngine(Engine):
    """Spark in local mode on all cores of this machine, or on the cluster VRHUB_SPARK_MASTER names;
    VRHUB_SPARK_PARTITIONS sets the partitions of its shuffles (8: a few per core; more on a cluster)."""

    name = "spark"

    def __init__(self) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise VrhubError(
                "the Spark engine needs pyspark, which is not installed",
                "Install vrhub with its spark extra (pip install 'vrhub[spark]') and Java 17.",
            ) from None
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
            raise VrhubError(
                "the Spark engine needs Java (17), which is not installed",
                "Install a Java 17 runtime (Debian: openjdk-17-jre-headless), or use the DuckDB engine.",
            )
        from splink import SparkAPI
        from splink.backends.spark import similarity_jar_location

        # Spark's Python workers run this interpreter, with the packages it has, not whatever is on PATH.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        master = os.environ.get("VRHUB_SPARK_MASTER", "local[*]")
        if master.startswith("local"):
            # All in this machine: no need to look for a network address (and warn that it found loopback).
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # pyspark warns on every call that it does not yet support the pandas installed; vrhub hands it
        # Parquet files and reads back Arrow, so the warnings say nothing a user can act on.
        warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark")
        warnings.filterwarnings("ignore", message=".*copy keyword is deprecated.*")
        self.scratch = tempfile.mkdtemp(prefix="vrhub-spark-")
        self.tables = 0
        # Errors only from Spark's own logging, from the JVM's start: its warnings are about the machine
        # (no Hadoop native library), not about the linkage.
        logging_conf = os.path.join(self.scratch, "log4j2.properties")
        with open(logging_conf, "w") as handle:
            handle.write(_LOG4J)
        partitions = os.environ.get("VRHUB_SPARK_PARTITIONS", "8")
        self.spark = (
            SparkSession.builder.appName("vrhub-linkage")
            .master(master)
            .config("spark.sql.shuffle.partitions", partitions)
            .config("spark.default.parallelism", partitions)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.jars", similarity_jar_location())  # splink's Jaro-Winkler and friends
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{logging_conf}")
            # Per session, not the environment's SPARK_LOCAL_DIRS: a JVM outlives its session, and the next
            # session's scratch is another folder (this one is removed at `close`).
            .config("spark.local.dir", self.scratch)
            .config("spark.sql.warehouse.dir", os.path.join(self.scratch, "warehouse"))
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")
        self.spark.sparkContext.setCheckpointDir(os.path.join(self.scratch, "checkpoints"))
        self.api = SparkAPI(spark_session=self.spark, num_partitions_on_repartition=int(partitions))

    def linker(self, records: pa.Table, settings: SettingsCreator | dict[str, Any]) -> Linker:
        return Linker(self.register(records), settings, log_level=None)

    def register(self, records: pa.Table) -> Any:
        # Through a Parquet file in the session's scratch, not `createDataFrame`: that puts every row into
        # the query plan, which Spark copies into each query that reads it (the demo's 9,000 records ran
        # the driver out of memory that way) and which a cluster's workers cannot read in parallel.
        import pyarrow.parquet as pq

        self.tables += 1
        path = os.path.join(self.scratch, f"records-{self.tables}.parquet")
        pq.write_table(records, path)
        return self.api.register(self.spark.read.parquet(path))

    def pairs(self, scored: Any) -> pa.Table:
        frame = scored.as_spark_dataframe().select(*PAIR_COLUMNS)
        return pa.Table.from_pandas(frame.toPandas(), preserve_index=False)

    def close(self) -> None:
        self.spark.stop()
        shutil.rmtree(self.scratch, ignore_errors=True)


def engine(name: str) -> Engine:
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        return SparkEngine()
    raise BadValue(
        f"unknown engine '{name}'", f"Use one of: {', '.join(ENGINES)}.", parameter="engine", value=name
    )

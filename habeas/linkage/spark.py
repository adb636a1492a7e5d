"""The distributed path: the same linkage model on Apache Spark, through splink's Spark backend.

Where one machine is not enough (millions of records, or pairs that no longer fit a DuckDB spill
directory) the batch runs unchanged on a Spark cluster: ``habeas dedupe --spark spark://host:7077``, or
from Python ``dedupe_persons(db_api=spark_api(master=...))``. Only the scoring moves: reading the
database and storing pairs stay in the Django process, which streams the pairs back through
``toLocalIterator`` in batches. pyspark is an optional extra (``pip install '.[spark]'``, about 500 MB
with its jars) and needs Java 17 or later.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any


def spark_api(*, master: str = "local[2]", app_name: str = "habeas-linkage", session: Any = None) -> Any:
    """A splink SparkAPI on a session at ``master`` (created here unless ``session`` is given), with
    splink's similarity functions (Jaro-Winkler) registered from the jar splink ships."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ImportError(
            "Spark is not installed: pip install '.[spark]' (pyspark) and a Java 17 runtime"
        ) from None
    from splink import SparkAPI
    from splink.internals.spark.jar_location import similarity_jar_location

    if session is None:
        checkpoints = os.path.join(tempfile.gettempdir(), "habeas-spark-checkpoints")
        session = (
            SparkSession.builder.master(master)
            .appName(app_name)
            .config("spark.jars", similarity_jar_location())
            # Few partitions for a local run; a cluster's defaults are left alone.
            .config("spark.sql.shuffle.partitions", "8" if master.startswith("local") else "200")
            .config("spark.default.parallelism", "8" if master.startswith("local") else "200")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate()
        )
        session.sparkContext.setCheckpointDir(checkpoints)
        session.sparkContext.setLogLevel("ERROR")
    return SparkAPI(
        spark_session=session, num_partitions_on_repartition=8 if master.startswith("local") else None
    )

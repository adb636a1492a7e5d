"""The distributed path: the same model on a local Spark (local[2]) scores as DuckDB does.

Marked e2e (it starts a JVM: about a minute). Skips, saying why, without pyspark (the optional
``[spark]`` extra) or without Java."""

from __future__ import annotations

import shutil

import pytest

from habeas.linkage import engine
from habeas.linkage.records import PersonRecord, person_row

pytestmark = pytest.mark.e2e

PEOPLE = [
    PersonRecord(1, ["Rebiya Kadeer"], 1946, "F", "Uyghur", "Xinjiang"),
    PersonRecord(2, ["Rabiye Qadir", "ربىيە قادىر"], 1946, "F", "Uyghur", "新疆"),
    PersonRecord(3, ["王丹"], 1969, "M", "Han", "Beijing", ["Qincheng Prison"], 1989, 7, ["art 105"]),
    PersonRecord(4, ["Dan Wang"], 1969, "M", "Han", "Beijing", ["秦城监狱"], 1989, 7, ["CL97-art105"]),
    PersonRecord(5, ["Wang Dan"], 1983, "F", "Han", "Sichuan"),
    PersonRecord(6, ["Tenzin Delek"], 1950, "M", "Tibetan", "Sichuan"),
    PersonRecord(7, ["Tenzin Deleg"], 1950, "M", "Tibetan", "Sichuan"),
    PersonRecord(8, ["Tenzin Geleg"], 1950, "M", "Tibetan", "Sichuan"),
]


@pytest.fixture(scope="module")
def spark_db_api():
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install '.[spark]')")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime on PATH (Spark needs Java 17 or later)")
    from habeas.linkage.spark import spark_api

    api = spark_api(master="local[2]")
    yield api
    api.spark.stop()


def test_spark_scores_and_clusters_like_duckdb(spark_db_api) -> None:
    rows = [person_row(p) for p in PEOPLE]
    on_duckdb = engine.run("persons", engine.to_table("persons", rows), threshold=0.001, population=2000)
    on_spark = engine.run(
        "persons", engine.to_table("persons", rows), threshold=0.001, population=2000, db_api=spark_db_api
    )
    duck = {(p.left, p.right): p for p in on_duckdb.pairs()}
    spark = {(p.left, p.right): p for p in on_spark.pairs()}
    assert duck.keys() == spark.keys()
    for key, pair in duck.items():
        assert spark[key].score == pytest.approx(pair.score, abs=1e-6)
        assert spark[key].evidence == pair.evidence
    clusters = on_spark.clusters(0.9)
    assert clusters[1] == clusters[2] and clusters[3] == clusters[4] != clusters[5]

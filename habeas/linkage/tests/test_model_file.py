"""The model as splink JSON (for a cluster job) loads back and scores like the Python definition; the
commands' help is their documentation, with an example."""

from __future__ import annotations

import json

import pytest
from django.core.management import load_command_class

from habeas.linkage import engine
from habeas.linkage.records import PersonRecord, person_row

pytest.importorskip("splink", reason="splink is not installed")


def test_saved_model_loads_and_scores_like_the_definition(tmp_path) -> None:
    from splink import Linker

    path = tmp_path / "persons.json"
    engine.save_settings("persons", str(path), n_records=2000)
    saved = json.loads(path.read_text())
    assert [c["output_column_name"] for c in saved["comparisons"]] == [
        c.name for c in engine.PERSON_COMPARISONS
    ]
    rows = [
        person_row(PersonRecord(1, ["王丹"], 1969, "M", "Han", "Beijing")),
        person_row(PersonRecord(2, ["Dan Wang"], 1969, "M", "Han", "Beijing")),
    ]
    db_api = engine.duckdb_api(1)
    linker = Linker(db_api.register(engine.to_table("persons", rows)), str(path), log_level=None)
    from_file = linker.inference.predict(warning_mode="never").as_record_list()
    from_code = list(
        engine.run("persons", engine.to_table("persons", rows), threshold=0.0, population=2000).pairs()
    )
    assert from_file[0]["match_probability"] == pytest.approx(from_code[0].score, abs=1e-9)


@pytest.mark.parametrize("name", ["dedupe", "linkage_settings"])
def test_commands_document_themselves_with_an_example(name: str) -> None:
    command = load_command_class("habeas.linkage", name)
    assert "Example" in command.help and len(command.help) > 200


@pytest.mark.parametrize(("kind", "n_records"), [("persons", 100_000), ("places", 10_000)])
def test_committed_model_json_is_the_code_s_model(tmp_path, kind, n_records) -> None:
    """habeas/linkage/model/*.json (splink's format, DuckDB dialect, for inspection or a job that uses
    splink directly) must be regenerated when the levels change: engine.save_settings(kind, path, n)."""
    from pathlib import Path

    committed = json.loads((Path(engine.__file__).parent / "model" / f"{kind}.json").read_text())
    path = tmp_path / "model.json"
    engine.save_settings(kind, str(path), n_records=n_records)
    fresh = json.loads(path.read_text())
    for model in (committed, fresh):
        model.pop("linker_uid", None)
    assert committed == fresh


@pytest.mark.parametrize("kind", ["persons", "places"])
def test_each_comparison_s_m_and_u_are_distributions(kind) -> None:
    for comparison in engine.COMPARISONS[kind]:
        assert sum(level.m for level in comparison.levels) == pytest.approx(1.0), comparison.name
        assert sum(level.u for level in comparison.levels) == pytest.approx(1.0), comparison.name
        assert all(0 < level.m < 1 and 0 < level.u < 1 for level in comparison.levels)

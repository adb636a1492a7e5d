"""habeas demo: seeded, realistic, every fact citing the words that state it."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from habeas.accounts.models import User
from habeas.dossiers import models as m
from habeas.dossiers.bulk import PersonIn, prepare_names
from habeas.importers.demo import demo_bundles, demo_bundles_forked, demo_create
from habeas.lib.dates import PartialDate, Precision
from habeas.sources.models import Citation, Source

FACT_MODELS = [
    m.Person,
    m.PersonName,
    m.Detention,
    m.CustodyPeriod,
    m.LegalStep,
    m.Charge,
    m.Sentence,
    m.SentenceChange,
    m.StatusChange,
    m.HealthNote,
    m.Allegation,
    m.Affiliation,
]


def digest(bundles: list[PersonIn]) -> str:
    return hashlib.sha256(repr([asdict(b) for b in bundles]).encode()).hexdigest()


def spans(bundle: PersonIn) -> list[tuple[str, object, tuple[int, int] | None]]:
    """(what, fact, span) for every fact of a bundle."""
    out: list[tuple[str, object, tuple[int, int] | None]] = [("person", bundle, bundle.span)]
    out += [("name", n, n.span) for n in bundle.names]
    for det in bundle.detentions:
        out.append(("detention", det, det.span))
        out += [("custody", x, x.span) for x in det.custody]
        out += [("step", x, x.span) for x in det.legal_steps]
        out += [("charge", x, x.span) for x in det.charges]
        for sentence in det.sentences:
            out.append(("sentence", sentence, sentence.span))
            out += [("change", x, x.span) for x in sentence.changes]
    out += [("status", x, x.span) for x in bundle.statuses]
    out += [("health", x, x.span) for x in bundle.health]
    out += [("allegation", x, x.span) for x in bundle.allegations]
    out += [("affiliation", x, x.span) for x in bundle.affiliations]
    return out


def test_same_seed_same_bundles_and_other_seeds_differ() -> None:
    first = digest(list(demo_bundles(150, seed=7)))
    assert digest(list(demo_bundles(150, seed=7))) == first
    assert digest(list(demo_bundles(150, seed=8))) != first
    # A later run (numbered after the first) is different data, not a copy.
    assert digest(list(demo_bundles(150, seed=7, start=150))) != first


def test_every_fact_cites_the_words_that_state_it() -> None:
    checked: Counter[str] = Counter()
    for bundle in demo_bundles(500, seed=3):
        text = bundle.source.text
        for what, fact, span in spans(bundle):
            assert span is not None, f"{what} cites the whole text"
            start, end = span
            assert 0 <= start < end <= len(text)
            quote = text[start:end]
            assert quote == quote.strip() and quote, (what, quote)
            checked[what] += 1
            if what == "name":
                assert quote == fact.text  # type: ignore[attr-defined]
            elif what == "person":
                assert bundle.names[0].text in quote
            elif what == "charge":
                assert quote == fact.text  # type: ignore[attr-defined]
            elif what == "detention" or what == "step" or what == "status" or what == "change":
                # The sentence says when: the year of the fact's date is in the quote.
                date = fact.started if what == "detention" else fact.date  # type: ignore[attr-defined]
                assert str(PartialDate.coerce(date).year) in quote, (what, date, quote)
            elif what == "custody":
                assert fact.place.name in quote  # type: ignore[attr-defined]
            elif what == "affiliation":
                assert fact.organisation in quote and fact.role in quote  # type: ignore[attr-defined]
            elif what == "health":
                assert "relatives" in quote or "family" in quote
        for date in (bundle.source.published,):
            assert date is not None
    assert {"person", "name", "detention", "custody", "step", "charge", "sentence", "status"} <= set(checked)
    assert checked["health"] and checked["allegation"] and checked["affiliation"] and checked["change"]


def test_published_after_what_the_source_says() -> None:
    for bundle in demo_bundles(300, seed=5):
        published = PartialDate.coerce(bundle.source.published)
        assert published is not None
        dates = [bundle.detentions[0].started] + [s.date for s in bundle.statuses]
        dates += [step.date for step in bundle.detentions[0].legal_steps]
        for date in dates:
            value = PartialDate.coerce(date)
            assert value is not None and value.earliest <= published.latest, (date, bundle.source.published)


@pytest.mark.django_db
def test_stored_demo_is_valid_varied_and_cited() -> None:
    out = io.StringIO()
    call_command("demo", persons=200, seed=1, no_progress=True, stdout=out)
    assert "Generated 200 persons" in out.getvalue()
    assert m.Person.objects.count() == 200
    # Every fact cites a span whose quote is the source's text at that span.
    for model in FACT_MODELS:
        assert not model._default_manager.filter(citation__isnull=True).exists(), model
    for citation in Citation.objects.select_related("source"):
        assert citation.source.text[citation.start : citation.end] == citation.quote
    # Vocabularies: the writer refuses others, but check what a reader sees too.
    assert set(m.Detention.objects.values_list("measure", flat=True)) <= set(m.Measure.values)
    assert len(set(m.Detention.objects.values_list("measure", flat=True))) >= 4
    assert len(set(m.StatusChange.objects.values_list("status", flat=True))) >= 3
    assert set(m.Sentence.objects.values_list("kind", flat=True)) <= set(m.SentenceKind.values)
    articles = set(m.Charge.objects.values_list("article", flat=True))
    assert {"103(2)", "293"} <= articles and articles <= {
        "105(1)",
        "105(2)",
        "103(1)",
        "103(2)",
        "111",
        "293",
        "290",
        "300",
        "120",
        "120-3",
        "249",
        "225",
        "266",
        "277",
    }
    assert set(m.Charge.objects.values_list("statute", flat=True)) == {"PRC Criminal Law 1997"}
    # Names in several scripts.
    scripts = set(m.PersonName.objects.values_list("script", flat=True))
    assert {"Hans", "Latn", "Arab", "Tibt"} <= scripts
    assert set(m.PersonName.objects.values_list("kind", flat=True)) >= {"main", "romanisation"}
    # Partial dates with several precisions, approximate ones included.
    # The stubs type a partial-date column as str; its values are PartialDate.
    started: list[Any] = list(m.Detention.objects.values_list("started", flat=True))
    assert {d.precision for d in started} == {Precision.YEAR, Precision.MONTH, Precision.DAY}
    assert any(d.circa for d in started)
    births: list[Any] = list(m.Person.objects.values_list("birth_date", flat=True))
    assert {b.precision for b in births if b} == {Precision.YEAR, Precision.MONTH, Precision.DAY}
    assert None in births
    # Confidentiality: mostly internal, some public, a few restricted; testimonies restricted.
    levels = Counter(m.Person.objects.values_list("confidentiality", flat=True))
    assert levels[1] > levels[0] > 0 and levels[2] > 0
    assert set(Source.objects.filter(kind="testimony").values_list("confidentiality", flat=True)) == {2}
    assert Source.objects.filter(kind="verdict", official=True).exists()
    assert len(set(Source.objects.values_list("kind", flat=True))) >= 5
    # Derived columns come out of the writer: statuses and expected releases.
    assert m.Person.objects.exclude(current_status="").count() == 200
    assert m.Person.objects.exclude(expected_release="").exists()


@pytest.mark.django_db
def test_stored_rows_are_the_same_for_the_same_seed() -> None:
    def stored() -> str:
        rows = list(
            m.Person.objects.order_by("pk").values_list("display_name", "birth_date", "current_status")
        ) + list(Source.objects.order_by("pk").values_list("text", "published"))
        return hashlib.sha256(repr(rows).encode()).hexdigest()

    call_command("demo", persons=60, seed=9, no_progress=True, stdout=io.StringIO())
    first = stored()
    for model in [*reversed(FACT_MODELS), m.ExternalId]:
        model._default_manager.all().delete()
    Citation.objects.all().delete()
    Source.objects.all().delete()
    call_command("demo", persons=60, seed=9, no_progress=True, stdout=io.StringIO())
    assert stored() == first


def test_forked_generator_gives_the_serial_bundles_with_their_keys() -> None:
    """The child process yields what demo_bundles yields, in order, across several queue batches, with
    scripts and search keys filled exactly as the writer would derive them."""
    serial = [prepare_names(b) for b in demo_bundles(130, seed=4, start=7)]
    forked = list(demo_bundles_forked(130, seed=4, start=7, batch_size=25))
    assert forked == serial
    assert all(n.keys and n.script for b in forked for n in b.names)


@pytest.mark.django_db
def test_forked_demo_stores_the_same_database_as_the_serial_one() -> None:
    def stored() -> list[object]:
        """Everything written, without ids (the second run's ids come after the first's)."""
        rows: list[object] = list(
            m.Person.objects.order_by("pk").values_list(
                "display_name", "birth_date", "current_status", "expected_release", "citation__quote"
            )
        )
        rows += list(m.PersonName.objects.order_by("pk").values_list("text", "script", "citation__quote"))
        rows += sorted(m.NameKey.objects.values_list("name__text", "key"))
        for model in FACT_MODELS[2:]:
            rows.append((model.__name__, model._default_manager.count()))
        rows += list(Source.objects.order_by("pk").values_list("text", "published"))
        rows.append(("citations", Citation.objects.count()))
        return rows

    def empty() -> None:
        for model in [*reversed(FACT_MODELS), m.ExternalId]:
            model._default_manager.all().delete()
        Citation.objects.all().delete()
        Source.objects.all().delete()

    serial = demo_create(90, seed=2, batch_size=20, fork=False)
    first = stored()
    empty()
    forked = demo_create(90, seed=2, batch_size=20, fork=True)
    assert forked.bulk.persons == serial.bulk.persons == 90
    # Places made by the first run are reused by the second (found by name). One history row per batch.
    assert forked.bulk.citations == serial.bulk.citations
    assert forked.bulk.history == serial.bulk.history == 90 // 20 + 1
    assert stored() == first
    assert len(first) > 90 * 4


@pytest.mark.django_db
def test_a_second_run_adds_more_persons_and_if_empty_skips() -> None:
    call_command("demo", persons=30, no_progress=True, stdout=io.StringIO())
    call_command("demo", persons=20, no_progress=True, stdout=io.StringIO())
    assert m.Person.objects.count() == 50
    values = set(m.ExternalId.objects.filter(scheme="demo").values_list("value", flat=True))
    assert len(values) == 50 and "D0000050" in values
    out = io.StringIO()
    call_command("demo", persons=30, if_empty=True, no_progress=True, stdout=out)
    assert m.Person.objects.count() == 50 and "no demo data generated" in out.getvalue()


@pytest.mark.django_db
def test_with_users_creates_four_users_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HABEAS_DEMO_PASSWORD", "a long demo password 42")
    out = io.StringIO()
    call_command("demo", persons=0, with_users=True, stdout=out)
    users = {u.username: (u.role, u.clearance) for u in User.objects.all()}
    assert users == {
        "admin": ("admin", 2),
        "researcher": ("researcher", 2),
        "reviewer": ("reviewer", 1),
        "viewer": ("viewer", 0),
    }
    assert User.objects.get(username="researcher").check_password("a long demo password 42")
    assert "a long demo password 42" not in out.getvalue()
    monkeypatch.setenv("HABEAS_DEMO_PASSWORD", "another password entirely")
    out = io.StringIO()
    call_command("demo", persons=0, with_users=True, stdout=out)
    assert "left as they are" in out.getvalue()
    assert User.objects.count() == 4
    assert User.objects.get(username="researcher").check_password("a long demo password 42")


@pytest.mark.django_db
def test_with_users_prints_a_random_password_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HABEAS_DEMO_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("demo", persons=0, with_users=True, stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("Sign in at"))
    password = line.rsplit(" / ", 1)[1]
    assert len(password) >= 12 and User.objects.get(username="viewer").check_password(password)


def test_cli_in_a_fresh_sqlite_database(tmp_path: Path) -> None:
    env = {**os.environ, "HABEAS_VAR_DIR": str(tmp_path), "HABEAS_DEMO_PASSWORD": "a long demo password 42"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = [sys.executable, "-m", "habeas"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True, capture_output=True, timeout=300)  # noqa: S603
    done = subprocess.run(  # noqa: S603
        [*run, "demo", "--persons", "20", "--no-progress", "--with-users"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Generated 20 persons" in done.stdout and "persons/s" in done.stdout
    assert "Created users: admin, researcher, reviewer, viewer." in done.stdout
    assert done.stderr == ""
    assert (tmp_path / "habeas.sqlite3").exists()

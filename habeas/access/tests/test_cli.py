"""habeas access / habeas benchmarks: every subcommand, text and JSON, as a named user; secrets stay
with the cleared."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from habeas.access.models import AccessNegotiation, Assessment, GuaranteeChange, NegotiationStatusChange
from habeas.access.seeds import benchmarks_1993_seed
from habeas.access.services import assessment_record, status_record
from habeas.access.tests.helpers import negotiation, source
from habeas.accounts.models import Confidentiality
from habeas.sources.services import citation_for_quote

SECRET = "Qzxvaccesscli"


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["access", "benchmarks"])
def test_help_has_examples_for_every_subcommand(name: str) -> None:
    from importlib import import_module

    command = import_module(f"habeas.access.management.commands.{name}").Command()
    parser = command.create_parser("habeas", name)
    assert "Examples:" in parser.format_help()
    (sub,) = [a for a in parser._actions if a.dest == "action"]
    for choice, subparser in sub.choices.items():
        assert f"example: habeas {name}" in (subparser.description or ""), choice


@pytest.fixture
def secrets(researcher):
    """A public negotiation with a restricted step, a restricted negotiation, a restricted source."""
    public = negotiation(subject="prison visits", by=researcher)
    status_record(negotiation=public, status="requested", date="1993", unsourced=True, by=researcher)
    status_record(
        negotiation=public,
        status="refused",
        date="1994",
        note=f"memo {SECRET}",
        unsourced=True,
        confidentiality=Confidentiality.RESTRICTED,
        by=researcher,
    )
    hidden_source = source(
        text=f"Cable: {SECRET} agreed to a visit.", title=f"Cable {SECRET}", level=Confidentiality.RESTRICTED
    )
    status_record(
        negotiation=public,
        status="agreed",
        date="1995",
        confidentiality=Confidentiality.PUBLIC,
        citations=[citation_for_quote(source=hidden_source, quote="agreed to a visit")],
        by=researcher,
    )
    restricted = negotiation(
        short_name="WGAD", subject=f"detention {SECRET}", level=Confidentiality.RESTRICTED, by=researcher
    )
    status_record(negotiation=restricted, status="requested", date="1996", unsourced=True, by=researcher)
    bset, _ = benchmarks_1993_seed()
    assessment_record(
        criterion=bset.criteria.get(label="Humane treatment"),
        date="1996",
        rating=-1,
        summary=f"{SECRET} note",
        unsourced=True,
        confidentiality=Confidentiality.RESTRICTED,
        by=researcher,
    )
    assessment_record(
        criterion=bset.criteria.get(label="Humane treatment"),
        date="1994",
        rating=0,
        summary="No visits.",
        unsourced=True,
        by=researcher,
    )
    return public, restricted, bset


def every_output(
    username: str, public: AccessNegotiation, restricted: AccessNegotiation, bset
) -> dict[str, str]:
    outputs = {}
    for fmt in ("text", "json"):
        common = ["--user", username, "--format", fmt]
        outputs[f"bodies {fmt}"] = run("access", "bodies", *common)
        outputs[f"list {fmt}"] = run("access", "list", *common)
        outputs[f"show {fmt}"] = run("access", "show", str(public.pk), *common)
        outputs[f"timeline {fmt}"] = run("access", "timeline", "CN", *common)
        outputs[f"benchmarks {fmt}"] = run("benchmarks", "list", *common)
        outputs[f"scorecard {fmt}"] = run("benchmarks", "scorecard", str(bset.pk), *common)
    return outputs


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_planted_secrets_never_reach_cli_output_for_a_reader_without_clearance(
    personas, secrets, role
) -> None:
    public, restricted, bset = secrets
    outputs = every_output(personas[role].username, public, restricted, bset)
    assert [name for name, text in outputs.items() if SECRET.lower() in text.lower()] == []
    with pytest.raises(CommandError, match="no negotiation"):
        run("access", "show", str(restricted.pk), "--user", personas[role].username)
    shown = json.loads(outputs["show json"])
    assert shown["status"] == "agreed"  # the restricted "refused" step is not the current status for them
    assert shown["steps"][-1]["sources"] == ["restricted source"]


@pytest.mark.django_db
def test_a_cleared_reader_sees_the_secrets(researcher, secrets) -> None:
    public, restricted, bset = secrets
    outputs = every_output(researcher.username, public, restricted, bset)
    assert (
        SECRET in outputs["list text"]
        and SECRET in outputs["timeline json"]
        and SECRET in outputs["scorecard json"]
    )


@pytest.mark.django_db
def test_request_status_guarantee_and_timeline_round_trip(researcher) -> None:
    cited = source(by=researcher)
    out = run(
        "access",
        "request",
        "--body",
        "Red Cross",
        "--country",
        "cn",
        "--subject",
        "prison visits",
        "--date",
        "1993-11",
        "--guarantee",
        "icrc_private_interviews",
        "--unsourced",
        "--user",
        researcher.username,
        "--format",
        "json",
    )
    pk = json.loads(out)["negotiation"]
    run(
        "access",
        "status",
        str(pk),
        "--status",
        "considered",
        "--date",
        "2004-03-12",
        "--source",
        str(cited.pk),
        "--quote",
        "give positive consideration to prison inspections",
        "--user",
        researcher.username,
    )
    run(
        "access",
        "guarantee",
        str(pk),
        "--kind",
        "icrc_private_interviews",
        "--state",
        "refused",
        "--date",
        "2004",
        "--unsourced",
        "--user",
        researcher.username,
    )
    timeline = json.loads(run("access", "timeline", "CN", "--user", researcher.username, "--format", "json"))
    labels = [e["label"] for e in timeline["entries"]]
    assert labels[:2] == ["requested", "guarantee asked"] and "under consideration" in labels
    assert any(e["sources"] == ["Wire report"] for e in timeline["entries"])
    text = run("access", "list", "--country", "CN", "--status", "considered", "--user", researcher.username)
    assert "prison visits" in text and "under consideration" in text


@pytest.mark.django_db
def test_event_records_an_extracted_access_event(researcher) -> None:
    cited = source(by=researcher)
    out = run(
        "access",
        "event",
        "--body",
        "UN torture investigator",
        "--country",
        "CN",
        "--status",
        "conducted",
        "--date",
        "2005-11-02",
        "--condition",
        "unconditional",
        "--source",
        str(cited.pk),
        "--quote",
        "unconditional access",
        "--user",
        researcher.username,
        "--format",
        "json",
    )
    data = json.loads(out)
    assert (
        data["created"]
        and len(data["guarantees"]) == 5
        and {g["state"] for g in data["guarantees"]} == {"granted"}
    )


@pytest.mark.django_db
def test_writes_need_an_editor_and_a_citation_choice(researcher, viewer) -> None:
    args = ["access", "request", "--body", "ICRC", "--country", "CN", "--subject", "x", "--date", "1993"]
    with pytest.raises(CommandError, match="may not change records"):
        run(*args, "--unsourced", "--user", viewer.username)
    with pytest.raises(CommandError, match="cite the source"):
        run(*args, "--user", researcher.username)
    with pytest.raises(CommandError, match="not both"):
        run(*args, "--unsourced", "--source", "1", "--quote", "x", "--user", researcher.username)
    with pytest.raises(CommandError, match="no active user"):
        run(*args, "--unsourced", "--user", "nobody")
    with pytest.raises(CommandError, match="two letters"):
        run(
            "access",
            "request",
            "--body",
            "ICRC",
            "--country",
            "China",
            "--subject",
            "x",
            "--date",
            "1993",
            "--unsourced",
            "--user",
            researcher.username,
        )
    with pytest.raises(CommandError, match="no single monitoring body"):
        run("access", "list", "--body", "Martians", "--user", researcher.username)
    assert not AccessNegotiation.objects.exists()


@pytest.mark.django_db
def test_a_quote_not_in_the_source_is_refused(researcher) -> None:
    n = negotiation(by=researcher)
    cited = source(by=researcher)
    with pytest.raises(CommandError, match="does not contain the quote"):
        run(
            "access",
            "status",
            str(n.pk),
            "--status",
            "agreed",
            "--date",
            "2004",
            "--source",
            str(cited.pk),
            "--quote",
            "words that are not there",
            "--user",
            researcher.username,
        )
    assert not NegotiationStatusChange.objects.exists()


@pytest.mark.django_db
def test_benchmarks_seed_assess_and_scorecard(researcher) -> None:
    assert "added" in run("benchmarks", "seed-1993", "--user", researcher.username)
    assert "already there" in run("benchmarks", "seed-1993", "--user", researcher.username)
    bset, _ = benchmarks_1993_seed()
    criterion = bset.criteria.get(label="Humane treatment")
    for date, rating in (("1994", "no progress"), ("2005", "2")):
        run(
            "benchmarks",
            "assess",
            "--criterion",
            str(criterion.pk),
            "--date",
            date,
            "--rating",
            rating,
            "--summary",
            "test",
            "--unsourced",
            "--user",
            researcher.username,
        )
    card = json.loads(
        run("benchmarks", "scorecard", str(bset.pk), "--user", researcher.username, "--format", "json")
    )
    row = next(c for c in card["criteria"] if c["label"] == "Humane treatment")
    assert card["dates"] == ["1994", "2005"] and row["latest"] == 2 and row["change"] == 2
    text = run("benchmarks", "scorecard", str(bset.pk), "--user", researcher.username)
    assert "significant prog" in text and "+2" in text
    with pytest.raises(CommandError, match="rating"):
        run(
            "benchmarks",
            "assess",
            "--criterion",
            str(criterion.pk),
            "--date",
            "2006",
            "--rating",
            "great",
            "--summary",
            "x",
            "--unsourced",
            "--user",
            researcher.username,
        )
    assert Assessment.objects.count() == 2 and not GuaranteeChange.objects.exists()


@pytest.mark.django_db
def test_body_add_then_list_and_match_by_alias(researcher, viewer) -> None:
    out = run(
        "access",
        "body-add",
        "--name",
        "Preventive Mechanism of Xland",
        "--short-name",
        "NPM-X",
        "--kind",
        "npm",
        "--mandate",
        "torture",
        "--alias",
        "the Xland NPM",
        "--user",
        researcher.username,
        "--format",
        "json",
    )
    pk = json.loads(out)["body"]
    listed = json.loads(
        run("access", "bodies", "--kind", "npm", "--user", viewer.username, "--format", "json")
    )
    assert [b["id"] for b in listed] == [pk]
    with pytest.raises(CommandError, match="exists already"):
        run(
            "access",
            "body-add",
            "--name",
            "preventive mechanism of xland",
            "--kind",
            "npm",
            "--user",
            researcher.username,
        )
    with pytest.raises(CommandError, match="may not change records"):
        run("access", "body-add", "--name", "Other", "--kind", "ngo", "--user", viewer.username)
    out = run(
        "access",
        "event",
        "--body",
        "Xland NPM",
        "--country",
        "XL",
        "--status",
        "conducted",
        "--date",
        "2020",
        "--unsourced",
        "--user",
        researcher.username,
        "--format",
        "json",
    )
    assert json.loads(out)["created"]


@pytest.mark.django_db
def test_benchmarks_create_with_criteria_in_order(researcher) -> None:
    out = run(
        "benchmarks",
        "create",
        "--title",
        "Dialogue benchmarks",
        "--country",
        "cn",
        "--criterion",
        "Visits: UN experts may visit prisons",
        "--criterion",
        "Lawyers: detainees see a lawyer of their choice",
        "--user",
        researcher.username,
        "--format",
        "json",
    )
    pk = json.loads(out)["id"]
    card = json.loads(
        run("benchmarks", "scorecard", str(pk), "--user", researcher.username, "--format", "json")
    )
    assert [c["label"] for c in card["criteria"]] == ["Visits", "Lawyers"] and card["country"] == "CN"
    with pytest.raises(CommandError, match="Short label: the criterion"):
        run(
            "benchmarks",
            "create",
            "--title",
            "x",
            "--country",
            "CN",
            "--criterion",
            "no colon here",
            "--user",
            researcher.username,
        )
    with pytest.raises(CommandError, match="at least one criterion"):
        run("benchmarks", "create", "--title", "y", "--country", "CN", "--user", researcher.username)


@pytest.mark.django_db
def test_a_request_for_a_merged_away_place_is_refused(researcher) -> None:
    from habeas.linkage.merge import place_merge
    from habeas.places.services import place_create

    survivor = place_create(names=["Drapchi Prison"], by=researcher, confidentiality=0)
    absorbed = place_create(names=["TAR Prison"], by=researcher, confidentiality=0)
    place_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    args = ["access", "request", "--body", "ICRC", "--country", "CN", "--subject", "x", "--date", "1993"]
    with pytest.raises(CommandError, match=f"place {absorbed.pk} was merged into {survivor.pk}"):
        run(*args, "--place", str(absorbed.pk), "--unsourced", "--user", researcher.username)
    assert not AccessNegotiation.objects.exists()
    run(*args, "--place", str(survivor.pk), "--unsourced", "--user", researcher.username)
    assert list(AccessNegotiation.objects.get().places.all()) == [survivor]

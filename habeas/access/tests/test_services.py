"""Writes of the access app: every rule pinned by one small test."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from habeas.access.models import (
    ICRC_GUARANTEES,
    UN_GUARANTEES,
    AccessNegotiation,
    BodyKind,
    Guarantee,
    GuaranteeChange,
    GuaranteeKind,
    NegotiationStatusChange,
)
from habeas.access.seeds import CRITERIA_1993, benchmarks_1993_seed
from habeas.access.services import (
    access_event_record,
    assessment_record,
    body_create,
    body_for_name,
    guarantee_state_record,
    negotiation_create,
    negotiation_request,
    negotiation_update,
    status_record,
)
from habeas.access.tests.helpers import body, cite, negotiation, place
from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.dossiers.services import EditConflict

pytestmark = pytest.mark.django_db


def test_body_create_with_aliases_is_found_by_any_name(researcher) -> None:
    made = body_create(
        name="Commission on Detention Oversight",
        short_name="CDO",
        kind=BodyKind.NATIONAL_COMMISSION,
        mandate="detention",
        aliases=["the oversight commission"],
        by=researcher,
    )
    assert body_for_name("The Oversight Commission") == made
    assert body_for_name("cdo") == made
    assert body_for_name("commission on detention oversight") == made
    assert History.objects.filter(object_id=made.pk, action="create").exists()


def test_body_create_refuses_a_duplicate_name_and_an_unknown_kind(researcher) -> None:
    with pytest.raises(ValidationError, match="exists already"):
        body_create(name="working group on arbitrary detention", kind="un_special_procedure", by=researcher)
    with pytest.raises(ValidationError, match="not a kind"):
        body_create(name="Somebody", kind="spaceship", by=researcher)


def test_seeded_aliases_match_the_words_of_reports() -> None:
    assert body_for_name("the Red Cross").short_name == "ICRC"
    assert body_for_name("UN torture investigator").short_name == "SR torture"
    assert body_for_name("nobody at all") is None


def test_negotiation_country_must_be_two_letters(researcher) -> None:
    with pytest.raises(ValidationError, match="two letters"):
        negotiation_create(body=body(), country="China", subject="visits", by=researcher)
    made = negotiation_create(body=body(), country="cn", subject="visits", by=researcher)
    assert made.country == "CN"


def test_negotiation_for_places_needs_places_in_that_country(researcher) -> None:
    with pytest.raises(ValidationError, match="at least one place"):
        negotiation_create(body=body(), country="CN", subject="x", scope="places", by=researcher)
    abroad = place("Far Away Jail", country="VN")
    with pytest.raises(ValidationError, match="not in CN"):
        negotiation_create(
            body=body(), country="CN", subject="x", scope="places", places=[abroad], by=researcher
        )
    made = negotiation_create(
        body=body(), country="CN", subject="x", scope="places", places=[place()], by=researcher
    )
    assert made.places.count() == 1


def test_a_user_cannot_file_above_their_clearance(reviewer) -> None:
    with pytest.raises(ValidationError, match="above your own clearance"):
        negotiation_create(
            body=body(), country="CN", subject="x", confidentiality=Confidentiality.RESTRICTED, by=reviewer
        )


def test_a_restricted_place_cannot_be_named_by_a_user_without_clearance(reviewer) -> None:
    secret = place("Secret site", level=Confidentiality.RESTRICTED)
    with pytest.raises(ValidationError, match="above your clearance"):
        negotiation_create(
            body=body(), country="CN", subject="x", scope="places", places=[secret], by=reviewer
        )


def test_status_needs_a_citation_or_a_named_user(researcher) -> None:
    n = negotiation(by=researcher)
    with pytest.raises(ValidationError, match="needs a citation"):
        status_record(negotiation=n, status="requested", date="2003", by=researcher)
    with pytest.raises(ValidationError, match="must name the user"):
        status_record(negotiation=n, status="requested", date="2003", unsourced=True)
    row = status_record(negotiation=n, status="requested", date="2003", unsourced=True, by=researcher)
    assert row.unsourced_by == researcher and row.confidentiality == n.confidentiality


def test_status_with_citations_keeps_them_all(researcher) -> None:
    n = negotiation(by=researcher)
    first = cite("give positive consideration to prison inspections")
    second = cite("by the Red Cross")
    row = status_record(
        negotiation=n, status="considered", date="2004-03-12", citations=[first, second], by=researcher
    )
    assert row.citation == first and list(row.extra_citations.all()) == [second]


def test_status_refuses_bad_dates_and_statuses(researcher) -> None:
    n = negotiation(by=researcher)
    with pytest.raises(ValidationError, match="has no day 31"):
        status_record(negotiation=n, status="requested", date="2003-02-31", unsourced=True, by=researcher)
    with pytest.raises(ValidationError, match="not a status"):
        status_record(negotiation=n, status="<script>", date="2003", unsourced=True, by=researcher)
    with pytest.raises(ValidationError, match="cannot end before"):
        status_record(
            negotiation=n,
            status="scheduled",
            date="2005-06",
            visit_from="2005-11-20",
            visit_to="2005-11-02",
            unsourced=True,
            by=researcher,
        )
    assert not NegotiationStatusChange.objects.exists()


def test_guarantee_row_is_made_once_and_its_states_accumulate(researcher) -> None:
    n = negotiation(by=researcher)
    kind = GuaranteeKind.ICRC_PRIVATE_INTERVIEWS
    guarantee_state_record(
        negotiation=n, kind=kind, state="asked", date="2003", unsourced=True, by=researcher
    )
    guarantee_state_record(
        negotiation=n, kind=kind, state="granted", date="2005", unsourced=True, by=researcher
    )
    assert Guarantee.objects.filter(negotiation=n).count() == 1
    assert list(GuaranteeChange.objects.order_by("date").values_list("state", flat=True)) == [
        "asked",
        "granted",
    ]


def test_other_guarantee_needs_its_words(researcher) -> None:
    n = negotiation(by=researcher)
    with pytest.raises(ValidationError, match="other guarantee"):
        guarantee_state_record(
            negotiation=n, kind="other", state="asked", date="2003", unsourced=True, by=researcher
        )
    guarantee_state_record(
        negotiation=n,
        kind="other",
        other_text="bring a doctor",
        state="asked",
        date="2003",
        unsourced=True,
        by=researcher,
    )
    assert Guarantee.objects.get().other_text == "bring a doctor"


def test_negotiation_request_writes_the_request_and_each_guarantee_asked(researcher) -> None:
    quote = cite("visit any prison and talk to inmates in private")
    n = negotiation_request(
        body=body("SR torture"),
        country="CN",
        subject="torture",
        date="2003",
        guarantees=[GuaranteeKind.UN_ALL_PLACES, GuaranteeKind.UN_CONFIDENTIAL_CONTACT],
        citations=[quote],
        by=researcher,
    )
    assert list(n.statuses.values_list("status", flat=True)) == ["requested"]
    assert (
        GuaranteeChange.objects.filter(guarantee__negotiation=n, state="asked", citation=quote).count() == 2
    )


def test_a_bad_guarantee_in_a_request_leaves_nothing_written(researcher) -> None:
    with pytest.raises(ValidationError, match="not a kind"):
        negotiation_request(
            body=body(),
            country="CN",
            subject="x",
            date="2003",
            guarantees=["teleport"],
            unsourced=True,
            by=researcher,
        )
    assert not AccessNegotiation.objects.exists() and not NegotiationStatusChange.objects.exists()


def test_negotiation_update_refuses_a_stale_version(researcher) -> None:
    n = negotiation(by=researcher)
    updated = negotiation_update(
        negotiation=n, version=n.version, by=researcher, subject="torture and detention"
    )
    assert updated.subject == "torture and detention" and updated.version == 2
    with pytest.raises(EditConflict):
        negotiation_update(negotiation=n, version=1, by=researcher, subject="again")
    with pytest.raises(ValidationError, match="not editable"):
        negotiation_update(negotiation=updated, version=2, by=researcher, country="VN")


# -- extracted events ------------------------------------------------------------------------------
def test_access_event_matches_the_body_by_alias_and_grants_unconditional_access(researcher) -> None:
    evidence = cite("the UN torture investigator arrived with unconditional access")
    event = access_event_record(
        body="UN torture investigator",
        country="CN",
        status="conducted",
        date="2005-11-02",
        conditions=["unconditional"],
        citations=[evidence],
        by=researcher,
    )
    assert event.created_negotiation and event.negotiation.body.short_name == "SR torture"
    assert event.status.status == "conducted"
    assert sorted(c.guarantee.kind for c in event.guarantees) == sorted(UN_GUARANTEES)
    assert {c.state for c in event.guarantees} == {"granted"}


def test_access_event_joins_the_open_negotiation_and_maps_conditions_for_the_icrc(researcher) -> None:
    n = negotiation(by=researcher)
    event = access_event_record(
        body="Red Cross",
        country="CN",
        status="requested",
        date="2003",
        conditions=["any prison", "private interviews", "no reprisals"],
        unsourced=True,
        by=researcher,
    )
    assert event.negotiation == n and not event.created_negotiation
    kinds = {c.guarantee.kind for c in event.guarantees}
    assert kinds == {
        GuaranteeKind.ICRC_ALL_DETAINEES,
        GuaranteeKind.ICRC_PRIVATE_INTERVIEWS,
        GuaranteeKind.UN_NO_REPRISALS,
    }
    assert {c.state for c in event.guarantees} == {"asked"}


def test_access_event_refused_marks_conditions_refused(researcher) -> None:
    event = access_event_record(
        body="WGAD",
        country="CN",
        status="refused",
        date="2003",
        conditions=["any prison"],
        unsourced=True,
        by=researcher,
    )
    assert [c.state for c in event.guarantees] == ["refused"]
    assert event.guarantees[0].guarantee.kind == GuaranteeKind.UN_ALL_PLACES


def test_access_event_unknown_condition_or_body_writes_nothing(researcher) -> None:
    with pytest.raises(ValidationError, match="not a condition"):
        access_event_record(
            body="Red Cross",
            country="CN",
            status="agreed",
            date="2004",
            conditions=["free lunch"],
            unsourced=True,
            by=researcher,
        )
    with pytest.raises(ValidationError, match="no single monitoring body"):
        access_event_record(
            body="Martians", country="CN", status="agreed", date="2004", unsourced=True, by=researcher
        )
    assert not AccessNegotiation.objects.exists()


def test_access_event_does_not_join_a_negotiation_above_the_users_clearance(researcher, reviewer) -> None:
    hidden = negotiation(level=Confidentiality.RESTRICTED, by=researcher)
    event = access_event_record(
        body="ICRC", country="CN", status="agreed", date="2004", unsourced=True, by=reviewer
    )
    assert event.negotiation != hidden and event.created_negotiation


def test_icrc_unconditional_means_its_five_conditions(researcher) -> None:
    event = access_event_record(
        body=body(),
        country="CN",
        status="agreed",
        date="2004",
        conditions=["Unconditional"],
        unsourced=True,
        by=researcher,
    )
    assert sorted(c.guarantee.kind for c in event.guarantees) == sorted(ICRC_GUARANTEES)


# -- benchmarks ------------------------------------------------------------------------------------
def test_1993_set_is_seeded_once_with_its_criteria_in_order() -> None:
    made, created = benchmarks_1993_seed()
    again, created_again = benchmarks_1993_seed()
    assert created and not created_again and made == again
    assert [c.label for c in made.criteria.order_by("position")] == [label for label, _ in CRITERIA_1993]


def test_assessment_takes_a_rating_label_or_number_and_refuses_others(researcher) -> None:
    bset, _ = benchmarks_1993_seed()
    criterion = bset.criteria.get(label="Humane treatment")
    a = assessment_record(
        criterion=criterion,
        date="1994",
        rating="no progress",
        summary="No visits.",
        unsourced=True,
        by=researcher,
    )
    b = assessment_record(
        criterion=criterion, date="2005", rating=2, summary="A visit.", unsourced=True, by=researcher
    )
    assert (a.rating, b.rating) == (0, 2) and a.confidentiality == bset.confidentiality
    with pytest.raises(ValidationError, match="not a rating"):
        assessment_record(
            criterion=criterion, date="2006", rating="splendid", summary="x", unsourced=True, by=researcher
        )
    with pytest.raises(ValidationError, match="summary"):
        assessment_record(
            criterion=criterion, date="2006", rating=1, summary=" ", unsourced=True, by=researcher
        )


def test_an_editor_keeps_but_cannot_add_places_above_their_clearance(researcher, reviewer) -> None:
    secret, open_place = place("Secret site", level=Confidentiality.RESTRICTED), place()
    n = negotiation_create(
        body=body(), country="CN", subject="x", scope="places", places=[secret], by=researcher
    )
    kept = negotiation_update(negotiation=n, version=n.version, by=reviewer, places=[secret, open_place])
    assert kept.places.count() == 2
    other = negotiation_create(
        body=body(), country="CN", subject="y", scope="places", places=[open_place], by=reviewer
    )
    with pytest.raises(ValidationError, match="above your clearance"):
        negotiation_update(negotiation=other, version=other.version, by=reviewer, places=[secret])


def test_every_body_the_extractor_names_is_matched() -> None:
    """The extractor (habeas.extraction.lexicon.BODIES) writes canonical names; each must find its body
    so an accepted access event lands without the reviewer picking one."""
    from habeas.extraction.lexicon import BODIES

    names = {name for _, name in BODIES if name not in ("commission", "UN Special Rapporteur")}
    assert names and {name: body_for_name(name) is not None for name in names} == dict.fromkeys(names, True)
    assert body_for_name("the UN Working Group on Arbitrary Detention").short_name == "WGAD"
    assert body_for_name("U.S. Commission on International Religious Freedom").short_name == "USCIRF"
    assert body_for_name("UN Special Rapporteur on freedom of expression").short_name == "SR expression"

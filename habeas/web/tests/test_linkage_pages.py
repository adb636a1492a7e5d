"""Linkage review pages: the queue, a pair side by side with its evidence, decisions, merge history
with undo, the split form, and merged records' pages leading to the survivor."""

from __future__ import annotations

import pytest
from django.urls import reverse

from habeas.accounts.models import Confidentiality
from habeas.dossiers.models import Detention, HealthNote, Person, PersonName
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.linkage.merge import person_merge, place_merge
from habeas.linkage.models import Decision, LinkageSettings, MergeRecord, PersonPair, PlacePair
from habeas.places.services import place_create

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED
EVIDENCE = {
    "model": "persons-v1",
    "fields": {
        "name": {"level": "same Tibetan name, other spelling", "weight": 6.2},
        "places": {"level": "same place", "weight": 2.5},
        "sex": {"level": "different", "weight": -1.5},
    },
}


def tenzin(level: int = INTERNAL) -> tuple[Person, Person, PersonPair]:
    left, right = make(
        bundle(1, names=("Tenzin Delek",), level=level),
        bundle(2, names=("Tenzin Deleg", "Tenzin Delek Rinpoche"), level=level),
    )
    pair = PersonPair.objects.create(
        left=left, right=right, score=0.93, evidence=EVIDENCE, confidentiality=level
    )
    return left, right, pair


@pytest.mark.django_db
def test_queue_lists_pending_pairs_by_score_with_filters(client_for, reviewer) -> None:
    left, _right, pair = tenzin()
    (third,) = make(bundle(3, names=("Tenzin Gyatso",)))
    low = PersonPair.objects.create(left=left, right=third, score=0.55, evidence=EVIDENCE)
    client = client_for(reviewer)
    page = client.get(reverse("web:linkage_queue")).content.decode()
    assert page.index("Tenzin Deleg") < page.index("Tenzin Gyatso")  # best score first
    assert reverse("web:linkage_pair", args=["person", pair.pk]) in page
    page = client.get(reverse("web:linkage_queue"), {"score_min": "0.9"}).content.decode()
    assert "Tenzin Gyatso" not in page and "Tenzin Deleg" in page
    PersonPair.objects.filter(pk=low.pk).update(decision=Decision.DIFFERENT)
    page = client.get(reverse("web:linkage_queue"), {"decision": "different"}).content.decode()
    assert "Tenzin Gyatso" in page and "Tenzin Deleg" not in page
    bad = client.get(reverse("web:linkage_queue"), {"score_min": "2"})
    assert bad.status_code == 200 and "Tenzin Deleg" in bad.content.decode()


@pytest.mark.django_db
def test_queue_reads_a_fixed_number_of_queries(client_for, reviewer, django_assert_max_num_queries) -> None:
    for n in range(6):
        a, b = make(bundle(10 + 2 * n, names=(f"Dorje {n}a",)), bundle(11 + 2 * n, names=(f"Dorje {n}b",)))
        PersonPair.objects.create(left=a, right=b, score=0.6, evidence=EVIDENCE)
    client = client_for(reviewer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("web:linkage_queue")).status_code == 200


@pytest.mark.django_db
def test_pair_page_shows_both_dossiers_and_highlights_the_evidence(client_for, reviewer) -> None:
    _left, _right, pair = tenzin()
    page = client_for(reviewer).get(reverse("web:linkage_pair", args=["person", pair.pk])).content.decode()
    assert "Tenzin Delek" in page and "Tenzin Deleg" in page
    assert "same Tibetan name, other spelling" in page
    assert 'class="agrees"' in page and 'class="disagrees"' in page
    assert "Qinghe No. 3 Prison" in page  # the places compared, from each dossier
    assert 'class="match"' in page  # "Tenzin Delek" on both sides
    # A reviewer decides "different" or "later", not merges.
    assert 'value="merge"' not in page and 'value="different"' in page


@pytest.mark.django_db
def test_merge_from_the_pair_page_then_undo(client_for, researcher) -> None:
    left, right, pair = tenzin()
    client = client_for(researcher)
    url = reverse("web:linkage_pair_decide", args=["person", pair.pk])
    response = client.post(url, {"action": "merge", "survivor": str(left.pk), "note": "same monk"})
    record = MergeRecord.objects.get()
    assert response["Location"] == reverse("web:linkage_merge", args=[record.pk])
    assert set(PersonName.objects.filter(person=left).values_list("text", flat=True)) == {
        "Tenzin Delek",
        "Tenzin Deleg",
        "Tenzin Delek Rinpoche",
    }
    pair.refresh_from_db()
    assert pair.decision == Decision.MERGED
    assert "Tenzin Deleg" not in client.get(reverse("web:linkage_queue")).content.decode()
    merged = client.get(reverse("web:linkage_queue"), {"decision": "merged"}).content.decode()
    assert reverse("web:linkage_pair", args=["person", pair.pk]) in merged
    # The absorbed dossier's page leads to the survivor; lists show one dossier.
    detail = client.get(reverse("web:person_detail", args=[right.pk]))
    assert detail.status_code == 302 and detail["Location"] == reverse("web:person_detail", args=[left.pk])
    page = client.get(reverse("web:linkage_merge", args=[record.pk])).content.decode()
    assert "Undo merge" in page and "Tenzin Deleg" in page
    history = client.get(reverse("web:person_history", args=[left.pk])).content.decode()
    assert f"merge #{record.pk}" in history
    client.post(reverse("web:linkage_merge_undo", args=[record.pk]))
    record.refresh_from_db()
    assert record.undone_by == researcher
    assert client.get(reverse("web:person_detail", args=[right.pk])).status_code == 200
    assert "undone by" in client.get(reverse("web:linkage_merges")).content.decode()


@pytest.mark.django_db
def test_merge_with_a_survivor_outside_the_pair_is_refused(client_for, researcher) -> None:
    _left, _right, pair = tenzin()
    (other,) = make(bundle(3, names=("Someone",)))
    url = reverse("web:linkage_pair_decide", args=["person", pair.pk])
    response = client_for(researcher).post(url, {"action": "merge", "survivor": str(other.pk)}, follow=True)
    assert "choose which of the two records stays" in response.content.decode()
    assert not MergeRecord.objects.exists()


@pytest.mark.django_db
def test_reviewer_marks_different_and_it_is_not_proposed_again(client_for, reviewer) -> None:
    _left, _right, pair = tenzin()
    client = client_for(reviewer)
    url = reverse("web:linkage_pair_decide", args=["person", pair.pk])
    client.post(url, {"action": "different", "note": "different fathers"})
    pair.refresh_from_db()
    assert (pair.decision, pair.decided_by, pair.note) == (Decision.DIFFERENT, reviewer, "different fathers")
    assert "Tenzin Deleg" not in client.get(reverse("web:linkage_queue")).content.decode()
    assert client.post(url, {"action": "merge", "survivor": str(pair.left_id)}).status_code == 403
    assert client.post(url, {"action": "explode"}).status_code == 400
    client.post(url, {"action": "reopen"})
    pair.refresh_from_db()
    assert (pair.decision, pair.decided_by) == (Decision.PENDING, None)


@pytest.mark.django_db
def test_place_pair_page_and_merge(client_for, researcher, admin_user) -> None:
    a = place_create(names=["Beijing No. 2 Prison"], by=admin_user, kind="prison")
    b = place_create(names=["Beijing Number 2 prison", "北京市第二监狱"], by=admin_user)
    pair = PlacePair.objects.create(
        left=a, right=b, score=0.99, evidence={"fields": {"name": {"level": "same name key", "weight": 8}}}
    )
    client = client_for(researcher)
    page = client.get(reverse("web:linkage_queue"), {"kind": "place"}).content.decode()
    assert "Beijing Number 2 prison" in page
    page = client.get(reverse("web:linkage_pair", args=["place", pair.pk])).content.decode()
    assert "北京市第二监狱" in page
    client.post(
        reverse("web:linkage_pair_decide", args=["place", pair.pk]), {"action": "merge", "survivor": a.pk}
    )
    response = client.get(reverse("web:place_detail", args=[b.pk]))
    assert response["Location"] == reverse("web:place_detail", args=[a.pk])


@pytest.mark.django_db
def test_split_form_moves_the_chosen_facts_to_a_new_dossier(client_for, researcher) -> None:
    (person,) = make(bundle(1, names=("Li Wei", "李伟"), each=2))
    name = PersonName.objects.get(person=person, text="Alias1x0")
    health = HealthNote.objects.filter(person=person).first()
    client = client_for(researcher)
    url = reverse("web:person_split", args=[person.pk])
    page = client.get(url).content.decode()
    assert f"personname:{name.pk}" in page and "hepatitis B 0" in page
    response = client.post(url, {"move": [f"personname:{name.pk}", f"healthnote:{health.pk}"]})
    record = MergeRecord.objects.get(operation="split")
    assert response["Location"] == reverse("web:person_detail", args=[record.target_person_id])
    health.refresh_from_db()
    assert health.person_id == record.target_person_id
    # Refusals are said, nothing written.
    response = client.post(
        url, {"move": [f"healthnote:{HealthNote.objects.filter(person=person).first().pk}"]}
    )
    assert "at least one name" in response.content.decode()
    response = client.post(url, {"move": ["detention:999999"]})
    assert "not this dossier" in response.content.decode()


@pytest.mark.django_db
def test_split_form_offers_no_hidden_fact(client_for, low_researcher) -> None:
    (person,) = make(bundle(1, names=("Li Wei", "李伟"), level=INTERNAL))
    HealthNote.objects.filter(person=person).update(
        condition="Qzxvhiddencondition", confidentiality=RESTRICTED
    )
    page = client_for(low_researcher).get(reverse("web:person_split", args=[person.pk])).content.decode()
    assert "Qzxvhiddencondition" not in page


@pytest.mark.django_db
def test_a_merge_above_clearance_is_refused_on_the_page(client_for, low_researcher) -> None:
    _left, right, pair = tenzin()
    Detention.objects.filter(person=right).update(confidentiality=RESTRICTED)
    url = reverse("web:linkage_pair_decide", args=["person", pair.pk])
    response = client_for(low_researcher).post(
        url, {"action": "merge", "survivor": str(pair.left_id)}, follow=True
    )
    assert "above your clearance" in response.content.decode()
    assert not MergeRecord.objects.exists()


@pytest.mark.django_db
def test_merge_page_names_no_hidden_moved_record(client_for, researcher, low_researcher) -> None:
    left, right = make(bundle(1, names=("Tenzin Delek",)), bundle(2, names=("Tenzin Deleg",)))
    HealthNote.objects.filter(person=right).update(condition="Qzxvmovedsecret", confidentiality=RESTRICTED)
    record = person_merge(survivor=left, absorbed=right, by=researcher)
    assert (
        "Qzxvmovedsecret"
        in client_for(researcher).get(reverse("web:linkage_merge", args=[record.pk])).content.decode()
    )
    # The record's level is the highest it moved: a reader below it does not get the page at all.
    response = client_for(low_researcher).get(reverse("web:linkage_merge", args=[record.pk]))
    assert response.status_code == 404
    assert (
        "Qzxvmovedsecret"
        not in client_for(low_researcher).get(reverse("web:linkage_merges")).content.decode()
    )


@pytest.mark.django_db
def test_merged_place_leaves_the_list(client_for, researcher, admin_user) -> None:
    a = place_create(names=["Drapchi Prison"], by=admin_user)
    b = place_create(names=["Tibet Autonomous Region Prison"], by=admin_user)
    place_merge(survivor=a, absorbed=b, by=researcher)
    page = client_for(researcher).get(reverse("web:place_list")).content.decode()
    assert "Drapchi Prison" in page and page.count("Tibet Autonomous Region Prison") == 0


@pytest.mark.django_db
def test_history_pages_say_what_moved_where(client_for, researcher) -> None:
    left, right = make(bundle(1, names=("Tenzin Delek",)), bundle(2, names=("Tenzin Deleg",)))
    moved = Detention.objects.get(person=right)
    record = person_merge(survivor=left, absorbed=right, by=researcher)
    client = client_for(researcher)
    page = client.get(reverse("web:fact_history", args=["detention", moved.pk])).content.decode()
    assert "Merged" in page and f"merge #{record.pk}" in page
    # Before and after: the dossier it left (named by its names then, now gone: its number) and the one
    # it joined, each linked.
    assert reverse("web:person_detail", args=[left.pk]) in page
    absorbed = client.get(reverse("web:person_history", args=[right.pk])).content.decode()
    assert "Merged into" in absorbed.replace("merged into", "Merged into") and "Tenzin Delek" in absorbed


@pytest.mark.django_db
def test_the_admin_sets_the_thresholds(client_for, admin_user) -> None:
    client = client_for(admin_user)
    url = reverse("web:linkage_thresholds")
    values = {
        "person_auto_link": "0.97",
        "person_review": "0.6",
        "place_auto_link": "0.99",
        "place_review": "0.5",
    }
    assert client.post(url, values).status_code == 302
    settings = LinkageSettings.current()
    assert (settings.person_auto_link, settings.person_review, settings.updated_by) == (0.97, 0.6, admin_user)
    refused = client.post(url, {**values, "person_review": "0.99"}).content.decode()
    assert "must not be above the auto-link threshold" in refused
    assert LinkageSettings.current().person_review == 0.6

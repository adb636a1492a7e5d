"""Every linkage URL x every role, and planted secrets: a restricted person in a pending pair, a pair
whose evidence is restricted, a restricted fact on one side of a pair, a restricted fact moved by a
merge must never reach a reader without clearance through the queue, a pair page, its evidence or the
merge history."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from habeas.accounts.models import Confidentiality
from habeas.dossiers.models import HealthNote, Person
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.linkage.merge import person_merge
from habeas.linkage.models import MergeRecord, PersonPair, PlacePair
from habeas.places.services import place_create
from habeas.web.tests.roles import ROLES, assert_answer

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED

SECRET_PERSON = "Qzxvlinkperson"  # the name of a restricted person in a pending pair
SECRET_EVIDENCE = "Qzxvlinkevidence"  # the evidence of a pair built from restricted facts
SECRET_HEALTH = "Qzxvlinkhealth"  # a restricted fact of an internal person in a pair
SECRET_MOVED = "Qzxvlinkmoved"  # a restricted fact a merge moved
MARKERS = (SECRET_PERSON, SECRET_EVIDENCE, SECRET_HEALTH, SECRET_MOVED)


def evidence(level: str = "exact key") -> dict:
    return {"model": "persons-v1", "fields": {"name": {"level": level, "weight": 5.0}}}


@dataclass
class World:
    internal_pair: PersonPair
    restricted_person_pair: PersonPair
    restricted_evidence_pair: PersonPair
    place_pair: PlacePair
    internal_person: Person
    restricted_person: Person
    internal_merge: MergeRecord
    restricted_merge: MergeRecord


def pair(a: Person, b: Person, **fields) -> PersonPair:
    left, right = sorted([a, b], key=lambda p: p.pk)
    return PersonPair.objects.create(
        left=left, right=right, **{"score": 0.9, "evidence": evidence(), **fields}
    )


@pytest.fixture
def world(admin_user) -> World:
    delek, deleg, secret, gyatso, lobsang, a, b, c, d = make(
        bundle(1, names=("Tenzin Delek",), level=INTERNAL),
        bundle(2, names=("Tenzin Deleg",), level=INTERNAL),
        bundle(3, names=(f"Tenzin {SECRET_PERSON}",), level=RESTRICTED),
        bundle(4, names=("Tenzin Gyatso",), level=INTERNAL),
        bundle(5, names=("Lobsang Tenzin",), level=INTERNAL),
        bundle(6, names=("Dorje A",), level=INTERNAL),
        bundle(7, names=("Dorje B",), level=INTERNAL),
        bundle(8, names=("Dorje C",), level=INTERNAL),
        bundle(9, names=("Dorje D",), level=INTERNAL),
    )
    HealthNote.objects.filter(person=deleg).update(condition=SECRET_HEALTH, confidentiality=RESTRICTED)
    HealthNote.objects.filter(person=d).update(condition=SECRET_MOVED, confidentiality=RESTRICTED)
    internal_merge = person_merge(survivor=a, absorbed=b, by=admin_user)
    restricted_merge = person_merge(survivor=c, absorbed=d, by=admin_user)
    p1 = place_create(names=["Drapchi Prison"], by=admin_user)
    p2 = place_create(names=["TAR Prison No. 1"], by=admin_user)
    return World(
        internal_pair=pair(delek, deleg),
        restricted_person_pair=pair(delek, secret, confidentiality=RESTRICTED),
        # Two internal persons, but the evidence came from restricted facts: the pair is restricted.
        restricted_evidence_pair=pair(
            gyatso, lobsang, evidence=evidence(SECRET_EVIDENCE), confidentiality=RESTRICTED
        ),
        place_pair=PlacePair.objects.create(left=p1, right=p2, score=0.7, evidence=evidence()),
        internal_person=delek,
        restricted_person=secret,
        internal_merge=internal_merge,
        restricted_merge=restricted_merge,
    )


# url name -> expected status per role (admin, researcher, reviewer, viewer, anonymous).
MATRIX: list[tuple[str, str, tuple[int, int, int, int, int]]] = [
    ("GET", "queue", (200, 200, 200, 403, 302)),
    ("GET", "queue_places", (200, 200, 200, 403, 302)),
    ("GET", "queue_filtered", (200, 200, 200, 403, 302)),
    ("POST", "queue", (405, 405, 405, 403, 302)),
    ("GET", "pair_internal", (200, 200, 200, 403, 302)),
    ("GET", "pair_restricted_person", (200, 200, 404, 403, 302)),
    ("GET", "pair_restricted_evidence", (200, 200, 404, 403, 302)),
    ("GET", "pair_place", (200, 200, 200, 403, 302)),
    ("GET", "pair_missing", (404, 404, 404, 403, 302)),
    ("GET", "pair_unknown_kind", (404, 404, 404, 403, 302)),
    ("POST", "pair_internal", (405, 405, 405, 403, 302)),
    ("GET", "decide_internal", (405, 405, 405, 403, 302)),
    ("POST", "decide_internal", (400, 400, 400, 403, 302)),  # no action named
    ("POST", "decide_restricted_person", (400, 400, 404, 403, 302)),
    ("POST", "decide_missing", (404, 404, 404, 403, 302)),
    ("GET", "merges", (200, 200, 200, 403, 302)),
    ("POST", "merges", (405, 405, 405, 403, 302)),
    ("GET", "merge_internal", (200, 200, 200, 403, 302)),
    ("GET", "merge_restricted", (200, 200, 404, 403, 302)),
    ("GET", "merge_missing", (404, 404, 404, 403, 302)),
    ("GET", "undo_internal", (405, 405, 403, 403, 302)),
    ("POST", "undo_internal", (302, 302, 403, 403, 302)),
    ("POST", "undo_missing", (404, 404, 403, 403, 302)),
    ("GET", "split_internal", (200, 200, 403, 403, 302)),
    ("POST", "split_internal", (200, 200, 403, 403, 302)),  # nothing chosen: the form says why
    ("GET", "split_restricted", (200, 200, 403, 403, 302)),
    ("GET", "split_missing", (404, 404, 403, 403, 302)),
    # The admin's thresholds: administrators only.
    ("GET", "thresholds", (200, 403, 403, 403, 302)),
    ("POST", "thresholds", (200, 403, 403, 403, 302)),  # nothing sent: the form says what is missing
]


def url_for(name: str, w: World) -> str:
    missing = PersonPair.objects.order_by("-pk")[0].pk + 1000
    urls = {
        "queue": reverse("web:linkage_queue"),
        "queue_places": reverse("web:linkage_queue") + "?kind=place",
        "queue_filtered": reverse("web:linkage_queue") + "?decision=&score_min=0.1&score_max=0.99",
        "pair_internal": reverse("web:linkage_pair", args=["person", w.internal_pair.pk]),
        "pair_restricted_person": reverse("web:linkage_pair", args=["person", w.restricted_person_pair.pk]),
        "pair_restricted_evidence": reverse(
            "web:linkage_pair", args=["person", w.restricted_evidence_pair.pk]
        ),
        "pair_place": reverse("web:linkage_pair", args=["place", w.place_pair.pk]),
        "pair_missing": reverse("web:linkage_pair", args=["person", missing]),
        "pair_unknown_kind": reverse("web:linkage_pair", args=["spaceship", w.internal_pair.pk]),
        "decide_internal": reverse("web:linkage_pair_decide", args=["person", w.internal_pair.pk]),
        "decide_restricted_person": reverse(
            "web:linkage_pair_decide", args=["person", w.restricted_person_pair.pk]
        ),
        "decide_missing": reverse("web:linkage_pair_decide", args=["person", missing]),
        "merges": reverse("web:linkage_merges"),
        "merge_internal": reverse("web:linkage_merge", args=[w.internal_merge.pk]),
        "merge_restricted": reverse("web:linkage_merge", args=[w.restricted_merge.pk]),
        "merge_missing": reverse("web:linkage_merge", args=[w.restricted_merge.pk + 1000]),
        "undo_internal": reverse("web:linkage_merge_undo", args=[w.internal_merge.pk]),
        "undo_missing": reverse("web:linkage_merge_undo", args=[w.restricted_merge.pk + 1000]),
        "split_internal": reverse("web:person_split", args=[w.internal_person.pk]),
        "split_restricted": reverse("web:person_split", args=[w.restricted_person.pk]),
        "split_missing": reverse("web:person_split", args=[w.restricted_person.pk + 1000]),
        "thresholds": reverse("web:linkage_thresholds"),
    }
    return urls[name]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "name", "expected"), MATRIX, ids=[f"{m} {n}" for m, n, _ in MATRIX])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_access_matrix(as_role, world, method, name, expected, role_index) -> None:
    client = as_role(ROLES[role_index])
    url = url_for(name, world)
    response = client.post(url) if method == "POST" else client.get(url)
    # A signed-in editor's undo answers with the merge's page; only the signed-out go to sign in.
    assert_answer(response, expected[role_index], redirect_to_login=ROLES[role_index] == "anonymous")


def pages(client, w: World) -> dict[str, str]:
    """Every linkage page a reader might reach, every filter of the queue, every pair and merge."""
    urls = {
        f"queue {kind} {decision}": reverse("web:linkage_queue") + f"?kind={kind}&decision={decision}"
        for kind in ("person", "place")
        for decision in ("", "pending", "deferred", "different", "merged")
    }
    for p in PersonPair.objects.all():
        urls[f"pair {p.pk}"] = reverse("web:linkage_pair", args=["person", p.pk])
    for q in PlacePair.objects.all():
        urls[f"place pair {q.pk}"] = reverse("web:linkage_pair", args=["place", q.pk])
    urls["merges"] = reverse("web:linkage_merges")
    for r in MergeRecord.objects.all():
        urls[f"merge {r.pk}"] = reverse("web:linkage_merge", args=[r.pk])
    urls["absorbed person"] = reverse("web:person_detail", args=[w.restricted_merge.origin_person_id])
    urls["split"] = reverse("web:person_split", args=[w.internal_person.pk])
    return {name: client.get(url, follow=True).content.decode() for name, url in urls.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_planted_secrets_never_reach_a_reader_without_clearance(as_role, world, role) -> None:
    seen = pages(as_role(role), world)
    leaks = [(page, m) for page, html in seen.items() for m in MARKERS if m.lower() in html.lower()]
    assert leaks == []
    if role == "reviewer":
        # The pairs a reviewer may see are there: the secrets are hidden, not the queue.
        assert "Tenzin Deleg" in seen["queue person pending"]
        assert "Tenzin Gyatso" not in seen["queue person pending"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["researcher", "admin"])
def test_planted_secrets_are_shown_to_a_cleared_reader(as_role, world, role) -> None:
    seen = pages(as_role(role), world)
    assert SECRET_PERSON in seen["queue person pending"]
    assert SECRET_EVIDENCE in seen[f"pair {world.restricted_evidence_pair.pk}"]
    assert SECRET_HEALTH in seen[f"pair {world.internal_pair.pk}"]
    assert SECRET_MOVED in seen[f"merge {world.restricted_merge.pk}"]

"""Every URL x every role, and planted secrets that must never reach a reader without clearance."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from habeas.accounts.models import Confidentiality
from habeas.dossiers.models import HealthNote, Person, PersonName, Sentence
from habeas.dossiers.services import person_update, status_record
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.places.models import Place
from habeas.places.services import place_create
from habeas.review.models import Candidate
from habeas.review.services import extraction_run
from habeas.sources.models import Source
from habeas.sources.services import citation_for_quote, source_store
from habeas.web.history import KINDS as HISTORY_KINDS
from habeas.web.history import history_url
from habeas.web.tests.roles import ROLES, assert_answer

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED

# Unique strings that appear nowhere else: finding one in a page means the secret leaked.
SECRET_PERSON = "Qzxvsecretperson"
SECRET_HEALTH = "Qzxvsecrethealth"
SECRET_SOURCE = "Qzxvsecretsource"
SECRET_HISTORY = "Qzxvsecrethistory"  # an internal dossier's occupation while it was restricted
SECRET_PLACE = "Qzxvsecretplace"
MARKERS = (SECRET_PERSON, SECRET_HEALTH, SECRET_SOURCE, SECRET_PLACE, SECRET_HISTORY)


@dataclass
class World:
    public: Person
    internal: Person
    restricted: Person
    public_source: Source
    restricted_source: Source
    restricted_citation: int
    restricted_health: int
    public_status: int
    public_place: Place
    restricted_place: Place


@pytest.fixture
def world(admin_user) -> World:
    public, internal = make(
        bundle(1, names=("Liu Mingde", "刘明德"), level=PUBLIC),
        bundle(2, names=("Wang Dan", "王丹"), level=INTERNAL, source_level=INTERNAL),
    )
    # A restricted person, cited by a public source that does not name them.
    (restricted,) = make(bundle(3, names=(f"Zhou {SECRET_PERSON}",), level=RESTRICTED, text="A short note."))
    # A restricted health note on a public person.
    HealthNote.objects.filter(person=public).update(condition=SECRET_HEALTH, confidentiality=RESTRICTED)
    # A restricted source whose words support a public fact of the public person.
    secret_source, _ = source_store(
        text=f"Leaked memo. {SECRET_SOURCE} says Liu Mingde was moved.",
        title=f"Memo {SECRET_SOURCE}",
        publisher=SECRET_SOURCE,
        confidentiality=RESTRICTED,
        by=admin_user,
    )
    citation = citation_for_quote(source=secret_source, quote=f"{SECRET_SOURCE} says Liu Mingde was moved")
    status = status_record(
        person=public,
        status="detained",
        date="2012-01",
        citations=[citation],
        by=admin_user,
        confidentiality=PUBLIC,
    )
    # A restricted place of detention, its names, province and authority all secret.
    secret_place = place_create(
        names=[f"Camp {SECRET_PLACE}", f"营地{SECRET_PLACE}"],
        province=SECRET_PLACE,
        authority=SECRET_PLACE,
        confidentiality=RESTRICTED,
        by=admin_user,
    )
    # The internal dossier was restricted for a while; its history keeps what it said then.
    internal = person_update(
        person=internal, version=internal.version, by=admin_user, confidentiality=RESTRICTED, occupation="x"
    )
    internal = person_update(
        person=internal, version=internal.version, by=admin_user, occupation=SECRET_HISTORY
    )
    internal = person_update(
        person=internal,
        version=internal.version,
        by=admin_user,
        confidentiality=INTERNAL,
        occupation="farmer",
    )
    # Extracted candidate facts waiting for review: one on the public source, one on the secret source.
    public_source = Source.objects.get(title="Report 1")
    for text_source, name in ((public_source, "Liu Mingde"), (secret_source, SECRET_SOURCE)):
        at = text_source.text.index(name)
        extraction_run(
            source=text_source,
            by=admin_user,
            extracted={"persons": [{"name": name, "role": "detainee", "evidence": [[at, at + len(name)]]}]},
        )
    return World(
        public=public,
        internal=internal,
        restricted=restricted,
        public_source=Source.objects.get(title="Report 1"),
        restricted_source=secret_source,
        restricted_citation=citation.pk,
        restricted_health=HealthNote.objects.get(person=public).pk,
        public_status=status.pk,
        public_place=Place.objects.get(name="Qinghe No. 3 Prison"),
        restricted_place=secret_place,
    )


# url name -> expected status per role (admin, researcher, reviewer, viewer, anonymous).
# 302 for the signed-out visitor is always to the sign-in page (checked below).
MATRIX: list[tuple[str, str, tuple[int, int, int, int, int]]] = [
    ("GET", "login", (200, 200, 200, 200, 200)),
    ("POST", "logout", (302, 302, 302, 302, 302)),
    ("GET", "logout", (405, 405, 405, 405, 405)),
    ("GET", "person_list", (200, 200, 200, 200, 302)),
    ("GET", "person_list_search", (200, 200, 200, 200, 302)),
    ("GET", "person_public", (200, 200, 200, 200, 302)),
    ("GET", "person_internal", (200, 200, 200, 404, 302)),
    ("GET", "person_restricted", (200, 200, 404, 404, 302)),
    ("GET", "person_missing", (404, 404, 404, 404, 302)),
    ("GET", "source_public", (200, 200, 200, 200, 302)),
    ("GET", "source_restricted", (200, 200, 404, 404, 302)),
    ("GET", "source_missing", (404, 404, 404, 404, 302)),
    ("POST", "person_list", (405, 405, 405, 405, 302)),
    ("GET", "history_person_public", (200, 200, 200, 200, 302)),  # a viewer is told history is internal
    ("GET", "history_person_internal", (200, 200, 200, 404, 302)),
    ("GET", "history_person_restricted", (200, 200, 404, 404, 302)),
    ("GET", "history_person_missing", (404, 404, 404, 404, 302)),
    ("GET", "history_source_public", (200, 200, 200, 200, 302)),
    ("GET", "history_source_restricted", (200, 200, 404, 404, 302)),
    ("GET", "history_place_public", (200, 200, 200, 200, 302)),
    ("GET", "history_fact_public", (200, 200, 200, 200, 302)),
    ("GET", "history_fact_restricted", (200, 200, 404, 404, 302)),
    ("GET", "history_fact_of_restricted_person", (200, 200, 404, 404, 302)),
    ("GET", "history_unknown_kind", (404, 404, 404, 404, 302)),
    ("POST", "history_person_public", (405, 405, 405, 405, 302)),
    ("GET", "source_list", (200, 200, 200, 200, 302)),
    ("GET", "source_list_search", (200, 200, 200, 200, 302)),
    ("POST", "source_list", (405, 405, 405, 405, 302)),
    ("GET", "source_create", (200, 200, 403, 403, 302)),
    ("POST", "source_create", (200, 200, 403, 403, 302)),
    ("GET", "source_upload", (200, 200, 403, 403, 302)),
    ("POST", "source_upload", (200, 200, 403, 403, 302)),
    ("GET", "source_edit_public", (200, 200, 403, 403, 302)),
    ("GET", "source_edit_restricted", (200, 200, 403, 403, 302)),
    ("POST", "source_edit_public", (200, 200, 403, 403, 302)),
    ("GET", "source_edit_missing", (404, 404, 403, 403, 302)),
    ("GET", "place_list", (200, 200, 200, 200, 302)),
    ("GET", "place_list_search", (200, 200, 200, 200, 302)),
    ("POST", "place_list", (405, 405, 405, 405, 302)),
    ("GET", "place_public", (200, 200, 200, 200, 302)),
    ("GET", "place_restricted", (200, 200, 404, 404, 302)),
    ("GET", "place_missing", (404, 404, 404, 404, 302)),
    ("POST", "place_public", (405, 405, 405, 405, 302)),
    ("GET", "place_create", (200, 200, 403, 403, 302)),
    ("POST", "place_create", (200, 200, 403, 403, 302)),
    ("GET", "place_edit_public", (200, 200, 403, 403, 302)),
    ("GET", "place_edit_restricted", (200, 200, 403, 403, 302)),
    ("POST", "place_edit_public", (200, 200, 403, 403, 302)),
    ("GET", "place_edit_missing", (404, 404, 403, 403, 302)),
    ("GET", "place_population_add", (200, 200, 403, 403, 302)),
    ("POST", "place_population_add", (200, 200, 403, 403, 302)),
    ("GET", "place_population_add_restricted", (200, 200, 403, 403, 302)),
    ("POST", "person_public", (405, 405, 405, 405, 302)),
    # Editing dossiers: researchers and admins only (403 for the others, whatever the record).
    ("GET", "person_create", (200, 200, 403, 403, 302)),
    ("POST", "person_create", (200, 200, 403, 403, 302)),
    ("GET", "person_edit_public", (200, 200, 403, 403, 302)),
    ("POST", "person_edit_public", (200, 200, 403, 403, 302)),
    ("GET", "person_edit_restricted", (200, 200, 403, 403, 302)),
    ("GET", "person_edit_missing", (404, 404, 403, 403, 302)),
    ("GET", "person_facts_public", (200, 200, 403, 403, 302)),
    ("POST", "person_facts_public", (405, 405, 403, 403, 302)),
    ("GET", "person_add_detention", (200, 200, 403, 403, 302)),
    ("POST", "person_add_detention", (200, 200, 403, 403, 302)),
    ("GET", "person_add_unknown_kind", (404, 404, 403, 403, 302)),
    ("GET", "person_add_to_restricted", (200, 200, 403, 403, 302)),
    ("GET", "detention_add_sentence", (200, 200, 403, 403, 302)),
    ("GET", "sentence_add_change", (200, 200, 403, 403, 302)),
    ("GET", "fact_edit_restricted_health", (200, 200, 403, 403, 302)),
    ("POST", "fact_edit_restricted_health", (200, 200, 403, 403, 302)),
    ("GET", "fact_edit_missing", (404, 404, 403, 403, 302)),
    ("GET", "fact_remove_restricted_health", (200, 200, 403, 403, 302)),
    ("GET", "pick_sources", (200, 200, 403, 403, 302)),
    ("GET", "pick_source_restricted", (200, 200, 403, 403, 302)),
    ("GET", "pick_source_missing", (404, 404, 403, 403, 302)),
    # The review queue: reviewers, researchers and admins (viewers 403); "Extract facts": editors.
    ("GET", "review_queue", (200, 200, 200, 403, 302)),
    ("POST", "review_queue", (405, 405, 405, 403, 302)),
    ("GET", "review_source_public", (200, 200, 200, 403, 302)),
    ("GET", "review_source_restricted", (200, 200, 404, 403, 302)),
    ("GET", "review_source_missing", (404, 404, 404, 403, 302)),
    ("GET", "candidate_decide_public", (405, 405, 405, 403, 302)),
    ("POST", "candidate_decide_public", (400, 400, 400, 403, 302)),  # no action named
    ("POST", "candidate_decide_restricted", (400, 400, 404, 403, 302)),
    ("POST", "candidate_decide_missing", (404, 404, 404, 403, 302)),
    ("GET", "source_extract_public", (405, 405, 403, 403, 302)),
    ("POST", "source_extract_missing", (404, 404, 403, 403, 302)),
]


def candidate_url(source: Source) -> str:
    return reverse(
        "web:candidate_decide", args=[Candidate.objects.filter(source=source).order_by("pk")[0].pk]
    )


def url_for(name: str, world: World) -> str:
    urls = {
        "login": reverse("web:login"),
        "logout": reverse("web:logout"),
        "person_list": reverse("web:person_list"),
        "person_list_search": reverse("web:person_list") + "?q=liu",
        "person_public": reverse("web:person_detail", args=[world.public.pk]),
        "person_internal": reverse("web:person_detail", args=[world.internal.pk]),
        "person_restricted": reverse("web:person_detail", args=[world.restricted.pk]),
        "person_missing": reverse("web:person_detail", args=[world.restricted.pk + 1000]),
        "source_public": reverse("web:source_detail", args=[world.public_source.pk]),
        "source_restricted": reverse("web:source_detail", args=[world.restricted_source.pk]),
        "source_missing": reverse("web:source_detail", args=[world.restricted_source.pk + 1000]),
        "history_person_public": reverse("web:person_history", args=[world.public.pk]),
        "history_person_internal": reverse("web:person_history", args=[world.internal.pk]),
        "history_person_restricted": reverse("web:person_history", args=[world.restricted.pk]),
        "history_person_missing": reverse("web:person_history", args=[world.restricted.pk + 1000]),
        "history_source_public": reverse("web:source_history", args=[world.public_source.pk]),
        "history_source_restricted": reverse("web:source_history", args=[world.restricted_source.pk]),
        "history_place_public": reverse("web:place_history", args=[Place.objects.order_by("pk")[0].pk]),
        "history_fact_public": reverse("web:fact_history", args=["status", world.public_status]),
        "history_fact_restricted": reverse("web:fact_history", args=["health", world.restricted_health]),
        "history_fact_of_restricted_person": reverse(
            "web:fact_history", args=["name", PersonName.objects.get(person=world.restricted).pk]
        ),
        "history_unknown_kind": reverse("web:fact_history", args=["user", world.public.pk]),
        "source_list": reverse("web:source_list"),
        "source_list_search": reverse("web:source_list") + "?q=report&since=2011&until=2011-05",
        "source_create": reverse("web:source_create"),
        "source_upload": reverse("web:source_upload"),
        "source_edit_public": reverse("web:source_edit", args=[world.public_source.pk]),
        "source_edit_restricted": reverse("web:source_edit", args=[world.restricted_source.pk]),
        "source_edit_missing": reverse("web:source_edit", args=[world.restricted_source.pk + 1000]),
        "place_list": reverse("web:place_list"),
        "place_list_search": reverse("web:place_list") + "?q=qinghe&sort=-prisoners",
        "place_public": reverse("web:place_detail", args=[world.public_place.pk]),
        "place_restricted": reverse("web:place_detail", args=[world.restricted_place.pk]),
        "place_missing": reverse("web:place_detail", args=[world.restricted_place.pk + 1000]),
        "place_create": reverse("web:place_create"),
        "place_edit_public": reverse("web:place_edit", args=[world.public_place.pk]),
        "place_edit_restricted": reverse("web:place_edit", args=[world.restricted_place.pk]),
        "place_edit_missing": reverse("web:place_edit", args=[world.restricted_place.pk + 1000]),
        "place_population_add": reverse("web:place_population_add", args=[world.public_place.pk]),
        "place_population_add_restricted": reverse(
            "web:place_population_add", args=[world.restricted_place.pk]
        ),
        # editing dossiers
        "person_create": reverse("web:person_create"),
        "person_edit_public": reverse("web:person_edit", args=[world.public.pk]),
        "person_edit_restricted": reverse("web:person_edit", args=[world.restricted.pk]),
        "person_edit_missing": reverse("web:person_edit", args=[world.restricted.pk + 1000]),
        "person_facts_public": reverse("web:person_facts", args=[world.public.pk]),
        "person_add_detention": reverse("web:person_add", args=[world.public.pk, "detention"]),
        "person_add_unknown_kind": reverse("web:person_add", args=[world.public.pk, "spaceship"]),
        "person_add_to_restricted": reverse("web:person_add", args=[world.restricted.pk, "status"]),
        "detention_add_sentence": reverse(
            "web:detention_add", args=[world.public.detentions.get().pk, "sentence"]
        ),
        "sentence_add_change": reverse(
            "web:sentence_add",
            args=[Sentence.objects.filter(detention__person=world.public).get().pk, "sentence-change"],
        ),
        "fact_edit_restricted_health": reverse("web:fact_edit", args=["health", world.restricted_health]),
        "fact_edit_missing": reverse("web:fact_edit", args=["health", world.restricted_health + 1000]),
        "fact_remove_restricted_health": reverse("web:fact_remove", args=["health", world.restricted_health]),
        "pick_sources": reverse("web:pick_sources") + "?q=report",
        "pick_source_restricted": reverse("web:pick_source", args=[world.restricted_source.pk]),
        "pick_source_missing": reverse("web:pick_source", args=[world.restricted_source.pk + 1000]),
        "review_queue": reverse("web:review_queue"),
        "review_source_public": reverse("web:review_source", args=[world.public_source.pk]),
        "review_source_restricted": reverse("web:review_source", args=[world.restricted_source.pk]),
        "review_source_missing": reverse("web:review_source", args=[world.restricted_source.pk + 1000]),
        "candidate_decide_public": candidate_url(world.public_source),
        "candidate_decide_restricted": candidate_url(world.restricted_source),
        "candidate_decide_missing": reverse("web:candidate_decide", args=[Candidate.objects.count() + 1000]),
        "source_extract_public": reverse("web:source_extract", args=[world.public_source.pk]),
        "source_extract_missing": reverse("web:source_extract", args=[world.restricted_source.pk + 1000]),
    }
    return urls[name]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "name", "expected"), MATRIX, ids=[f"{m} {n}" for m, n, _ in MATRIX])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_access_matrix(as_role, world, method, name, expected, role_index) -> None:
    client = as_role(ROLES[role_index])
    url = url_for(name, world)
    response = client.post(url) if method == "POST" else client.get(url)
    assert_answer(response, expected[role_index], redirect_to_login=name != "logout")


def pages(client, world: World) -> dict[str, str]:
    """Every page a reader might reach, including searches for the secrets themselves."""
    urls = {
        "list": reverse("web:person_list"),
        "list page 2": reverse("web:person_list") + "?page=2",
        "list restricted province": reverse("web:person_list") + "?province=Hebei&sort=-name",
        "list, every filter": reverse("web:person_list")
        + "?sex=M&charge=PRC+Criminal+Law+1997%7C105&place=Qinghe&sentence_min=1&sentence_max=death"
        + "&sentenced_since=2000&since=2000&allegation=arbitrary_detention&wgad=2&status=detained"
        + "&overdue=on&sort=-expected_release",
        "list at the restricted place": reverse("web:person_list") + f"?place_id={world.restricted_place.pk}",
        "dossier public": reverse("web:person_detail", args=[world.public.pk]),
        "dossier internal": reverse("web:person_detail", args=[world.internal.pk]),
        "dossier restricted": reverse("web:person_detail", args=[world.restricted.pk]),
        "source public": reverse("web:source_detail", args=[world.public_source.pk]),
        "source restricted": reverse("web:source_detail", args=[world.restricted_source.pk])
        + f"?cite={world.restricted_citation}",
        "source public, foreign cite": reverse("web:source_detail", args=[world.public_source.pk])
        + f"?cite={world.restricted_citation}",
    }
    for source in Source.objects.all():
        urls[f"source {source.pk}"] = reverse("web:source_detail", args=[source.pk])
    # The history of every record of every kind (hidden ones answer 404).
    for kind in HISTORY_KINDS.values():
        for record in kind.model._default_manager.all():
            urls[f"history {kind.slug} {record.pk}"] = history_url(record)
    urls.update(
        {
            "source list": reverse("web:source_list"),
            "source list, newest first": reverse("web:source_list") + "?sort=-created&official=no",
            "place list": reverse("web:place_list"),
            "place list by prisoners": reverse("web:place_list") + "?sort=-prisoners",
            "place public": reverse("web:place_detail", args=[world.public_place.pk]),
            "place restricted": reverse("web:place_detail", args=[world.restricted_place.pk]),
            "place restricted, edit": reverse("web:place_edit", args=[world.restricted_place.pk]),
            "source restricted, edit": reverse("web:source_edit", args=[world.restricted_source.pk]),
            "review queue": reverse("web:review_queue"),
            "review public": reverse("web:review_source", args=[world.public_source.pk]),
            "review restricted": reverse("web:review_source", args=[world.restricted_source.pk]),
            "source upload": reverse("web:source_upload"),
        }
    )
    seen = {name: client.get(url).content.decode() for name, url in urls.items()}
    for marker in MARKERS:
        for query in (marker, f"zhou {marker}"):
            html = client.get(reverse("web:person_list"), {"q": query}).content.decode()
            # The search box shows back what the reader typed: that is not a leak, the results would be.
            echo = f'value="{query}"'
            assert echo in html
            seen[f"search {query}"] = html.replace(echo, "")
            for name in ("source_list", "place_list"):
                html = client.get(reverse(f"web:{name}"), {"q": query}).content.decode()
                assert echo in html
                seen[f"{name} search {query}"] = html.replace(echo, "")
            # The person list's place-name filter echoes its input the same way.
            html = client.get(reverse("web:person_list"), {"place": query}).content.decode()
            assert echo in html
            seen[f"list held at {query}"] = html.replace(echo, "")
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_planted_secrets_never_reach_a_reader_without_clearance(as_role, world, role) -> None:
    seen = pages(as_role(role), world)
    leaks = [
        (page, marker) for page, html in seen.items() for marker in MARKERS if marker.lower() in html.lower()
    ]
    assert leaks == []
    # The public fact is shown, its restricted source named only as restricted.
    assert "restricted source" in seen["dossier public"]
    assert "Liu Mingde" in seen["dossier public"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["researcher", "admin"])
def test_planted_secrets_are_shown_to_a_cleared_reader(as_role, world, role) -> None:
    seen = pages(as_role(role), world)
    assert SECRET_PERSON in seen["list"] and SECRET_PERSON in seen[f"search {SECRET_PERSON}"]
    assert SECRET_HEALTH in seen["dossier public"]
    assert SECRET_SOURCE in seen["dossier public"] and SECRET_SOURCE in seen["source restricted"]
    assert f'<mark id="cite-{world.restricted_citation}">{SECRET_SOURCE}' in seen["source restricted"]
    assert "restricted source" not in seen["dossier public"]
    assert SECRET_PLACE in seen["place list"] and SECRET_PLACE in seen[f"place_list search {SECRET_PLACE}"]
    assert SECRET_SOURCE in seen["source list"] and SECRET_PLACE in seen["place restricted"]
    assert SECRET_SOURCE in seen["review queue"] and SECRET_SOURCE in seen["review restricted"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["researcher", "admin"])
def test_history_shows_a_cleared_reader_the_restricted_past(as_role, world, role) -> None:
    seen = pages(as_role(role), world)
    assert SECRET_HISTORY in seen[f"history person {world.internal.pk}"]
    assert SECRET_SOURCE in seen[f"history status {world.public_status}"]
    assert SECRET_HEALTH in seen[f"history health {world.restricted_health}"]


@pytest.mark.django_db
def test_a_reviewer_reads_history_without_the_restricted_past(as_role, world) -> None:
    seen = pages(as_role("reviewer"), world)
    internal = seen[f"history person {world.internal.pk}"]
    assert "farmer" in internal and "above your clearance" in internal
    assert "restricted source" in seen[f"history status {world.public_status}"]

"""Review pages: the queue, a source's candidates beside its highlighted text, decisions by POST with
CSRF, per role (viewers 403, sources above clearance 404), and the source page's "Extract facts"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from habeas.accounts.models import Confidentiality
from habeas.dossiers.models import Person, Sentence
from habeas.dossiers.services import person_create
from habeas.places.services import place_create
from habeas.review.models import Candidate
from habeas.review.services import extraction_run
from habeas.review.tests.test_services import TEXT, contract, span
from habeas.sources.models import Source
from habeas.sources.services import source_store

pytestmark = pytest.mark.django_db

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED
HOSTILE = '<script>alert("x")</script>'


def stored(text: str = TEXT, *, level: int = INTERNAL, title: str = "Activist jailed") -> Source:
    return source_store(text=text, title=title, confidentiality=level, published="2011-03-04")[0]


def first(source: Source, kind: str) -> Candidate:
    found = Candidate.objects.filter(source=source, kind=kind).order_by("-run_id", "position").first()
    assert found is not None
    return found


def decide(client, candidate: Candidate, action: str, **fields):
    return client.post(reverse("web:candidate_decide", args=[candidate.pk]), {"action": action, **fields})


def test_the_queue_lists_visible_sources_with_pending_counts(client_for, researcher, reviewer) -> None:
    source = stored()
    secret = stored(TEXT + " Qzxvsecretqueue", level=RESTRICTED, title="Qzxvsecretqueue memo")
    extraction_run(source=source, by=researcher, extracted=contract())
    extraction_run(source=secret, by=researcher, extracted=contract(TEXT + " Qzxvsecretqueue"))
    stored(TEXT + " nothing proposed", title="Unextracted")
    html = client_for(reviewer).get(reverse("web:review_queue")).content.decode()
    assert "Activist jailed" in html and "<td>10</td>" in html
    assert "Qzxvsecretqueue" not in html and "Unextracted" not in html
    assert 'href="/review/"' in html  # the navigation's Review link
    html = client_for(researcher).get(reverse("web:review_queue")).content.decode()
    assert "Qzxvsecretqueue memo" in html


def test_the_review_page_marks_each_span_and_escapes_the_text(client_for, researcher) -> None:
    text = TEXT + f" A caption said {HOSTILE}."
    source = stored(text)
    extracted = contract(text)
    extracted["allegations"].append({"type": "torture", "evidence": [span(text, HOSTILE)]})
    extraction_run(source=source, by=researcher, extracted=extracted)
    html = client_for(researcher).get(reverse("web:review_source", args=[source.pk])).content.decode()
    person = first(source, "person")
    # The person's words support its facts too: marked as overlapping, linked to the person.
    assert (
        f'<mark class="overlap"><a href="#candidate-{person.pk}">Ma Lixin (马立新), an ethnic Hui</a>' in html
    )
    assert f'<mark><a href="#candidate-{first(source, "allegation").pk}">had been tortured</a></mark>' in html
    assert HOSTILE not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert f'id="candidate-{first(source, "sentence").pk}"' in html
    assert 'name="csrfmiddlewaretoken"' in html and "<script>" not in html.split("</head>")[1]
    assert 'value="new" checked' in html  # no dossier matched: a new person is proposed


def test_a_reviewer_accepts_edits_and_rejects(client_for, researcher, reviewer) -> None:
    source = stored()
    extraction_run(source=source, by=researcher, extracted=contract())
    client = client_for(reviewer)
    response = decide(client, first(source, "health"), "accept")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Not saved: accept the person first" in page
    response = decide(client, first(source, "person"), "accept", person="new")
    assert response["Location"].endswith(f"#candidate-{first(source, 'person').pk}")
    person = Person.objects.get()
    decide(client, first(source, "detention"), "accept")
    decide(client, first(source, "sentence"), "edit", **{"edit-months": "60", "edit-kind": "fixed"})
    assert Sentence.objects.get().term_months == 60 and first(source, "sentence").state == "edited"
    decide(client, first(source, "health"), "reject")
    assert first(source, "health").state == "rejected" and not person.health_notes.exists()
    page = client.get(reverse("web:review_source", args=[source.pk])).content.decode()
    assert f'href="/persons/{person.pk}/"' in page and "edited and accepted" in page
    assert first(source, "person").decided_by == reviewer


def test_decisions_need_the_csrf_token(researcher) -> None:
    source = stored()
    extraction_run(source=source, by=researcher, extracted=contract())
    client = Client(enforce_csrf_checks=True)
    client.force_login(researcher)
    assert decide(client, first(source, "person"), "accept").status_code == 403
    assert Person.objects.count() == 0


def test_viewers_get_403_and_a_source_above_clearance_404(client_for, researcher, reviewer, viewer) -> None:
    secret = stored(level=RESTRICTED)
    extraction_run(source=secret, by=researcher, extracted=contract())
    person = first(secret, "person")
    client = client_for(reviewer)
    assert client.get(reverse("web:review_source", args=[secret.pk])).status_code == 404
    assert decide(client, person, "accept").status_code == 404
    assert decide(client, person, "reject").status_code == 404
    client = client_for(viewer)
    assert client.get(reverse("web:review_queue")).status_code == 403
    assert decide(client, person, "reject").status_code == 403
    person.refresh_from_db()
    assert person.state == "pending"


def test_a_restricted_dossier_is_never_offered_on_the_page(client_for, admin_user, reviewer) -> None:
    hidden = person_create(
        names=["马立新", "Qzxvsecretalias"], unsourced=True, by=admin_user, confidentiality=RESTRICTED
    )
    source = stored()
    extraction_run(source=source, by=admin_user, extracted=contract())  # linked for the admin
    assert first(source, "person").person == hidden
    html = client_for(reviewer).get(reverse("web:review_source", args=[source.pk])).content.decode()
    assert f"/persons/{hidden.pk}/" not in html and "Qzxvsecretalias" not in html
    assert 'value="new" checked' in html
    # Naming it anyway is refused like a missing dossier.
    decide(client_for(reviewer), first(source, "person"), "accept", person=str(hidden.pk))
    assert first(source, "person").state == "pending"


def test_a_known_dossier_is_offered_and_chosen(client_for, admin_user, reviewer) -> None:
    known = person_create(names=["Ma Lixin"], unsourced=True, by=admin_user)
    source = stored()
    extraction_run(source=source, by=reviewer, extracted=contract())
    client = client_for(reviewer)
    html = client.get(reverse("web:review_source", args=[source.pk])).content.decode()
    assert f'name="person" value="{known.pk}" checked' in html
    decide(client, first(source, "person"), "accept", person=str(known.pk))
    assert Person.objects.count() == 1 and known.names.filter(text="马立新").exists()


def test_extract_facts_is_offered_to_editors_only(client_for, researcher, reviewer) -> None:
    source = stored()
    html = client_for(reviewer).get(reverse("web:source_detail", args=[source.pk])).content.decode()
    assert "Extract facts" not in html
    assert client_for(reviewer).post(reverse("web:source_extract", args=[source.pk])).status_code == 403
    html = client_for(researcher).get(reverse("web:source_detail", args=[source.pk])).content.decode()
    assert f'action="/sources/{source.pk}/extract/"' in html and "Extract facts" in html


def test_extract_facts_runs_the_real_extractor(client_for, researcher) -> None:
    pytest.importorskip("habeas.extraction.extract", reason="the extractor (part B of issue 4) is not here")
    source = stored()
    response = client_for(researcher).post(reverse("web:source_extract", args=[source.pk]))
    assert response["Location"] == reverse("web:review_source", args=[source.pk])
    person = Candidate.objects.get(source=source, kind="person", values__role="detainee")
    assert "Ma Lixin" in person.values["names"]
    sentence = first(source, "sentence")
    assert sentence.values["months"] == 66
    # Per-field evidence: the sentence cites its own words, inside the text.
    quotes = [TEXT[s.start : s.end] for s in sentence.spans.all()]
    assert quotes and all(q in TEXT for q in quotes) and any("five years" in q for q in quotes)
    assert Person.objects.count() == 0  # extracted, not accepted


def test_the_review_page_reads_in_a_fixed_number_of_queries(client_for, researcher, admin_user) -> None:
    place_create(names=["Lanzhou No. 2 Prison"], by=admin_user)
    person_create(names=["Ma Lixin"], unsourced=True, by=admin_user)
    client = client_for(researcher)
    counts = []
    for copies in (1, 6):
        text = "\n".join(f"{i}. {TEXT}" for i in range(copies))
        source = stored(text, title=f"{copies} copies")
        persons = []
        for i in range(copies):
            person = contract()["persons"][0]
            at = text.index(f"{i}. ") + len(f"{i}. ")
            person["evidence"] = [[a + at, b + at] for a, b in person["evidence"]]
            persons.append(person)
        extraction_run(source=source, by=researcher, extracted={"persons": persons})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("web:review_source", args=[source.pk]))
        assert (
            response.status_code == 200 and response.content.decode().count('class="candidate ') == 8 * copies
        )
        counts.append(len(queries))
    assert counts[0] == counts[1], counts

"""The planted secrets of the access matrix never reach the edit pages of a researcher who may write but
is cleared for internal records only: not in forms, place choices, the facts page or the picker."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import _persona
from habeas.accounts.models import Confidentiality, Role
from habeas.dossiers.models import Detention
from habeas.web.tests.test_access_matrix import MARKERS, World, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_planted_secrets_never_reach_the_edit_pages_of_an_internal_researcher(client, world: World) -> None:  # noqa: F811
    client.force_login(_persona("lena", Role.RESEARCHER, Confidentiality.INTERNAL))
    detention = Detention.objects.filter(person=world.public).first()
    assert detention is not None
    urls = {
        "person edit": reverse("web:person_edit", args=[world.public.pk]),
        "facts": reverse("web:person_facts", args=[world.public.pk]),
        "add detention": reverse("web:person_add", args=[world.public.pk, "detention"]),
        "add status": reverse("web:person_add", args=[world.public.pk, "status"]),
        "edit detention": reverse("web:fact_edit", args=["detention", detention.pk]),
        "add sentence": reverse("web:detention_add", args=[detention.pk, "sentence"]),
        "new person": reverse("web:person_create"),
    }
    seen = {name: client.get(url) for name, url in urls.items()}
    assert all(r.status_code == 200 for r in seen.values())
    pages = {name: r.content.decode() for name, r in seen.items()}
    for marker in MARKERS:
        found = client.get(reverse("web:pick_sources"), {"q": marker})
        pages[f"pick {marker}"] = found.content.decode()
        # The no-JavaScript search echoes the words typed; the results must not name anything.
        shown = client.post(urls["add status"], {"cite-find": marker, "_find": "1"}).content.decode()
        pages[f"find {marker}"] = shown.replace(f'value="{marker}"', "")
    # Asking for the restricted source or health note by number answers like a missing one.
    assert client.get(reverse("web:pick_source", args=[world.restricted_source.pk])).status_code == 404
    assert client.get(reverse("web:fact_edit", args=["health", world.restricted_health])).status_code == 404
    leaks = [(name, m) for name, page in pages.items() for m in MARKERS if m.lower() in page.lower()]
    assert leaks == []
    # The public facts are there: the pages are not empty.
    assert "Liu Mingde" in pages["facts"] and "Qinghe No. 3 Prison" in pages["add detention"]

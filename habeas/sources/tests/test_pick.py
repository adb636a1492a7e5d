"""The citation picker's reads: only sources the user may read, by title or publisher."""

from __future__ import annotations

import pytest

from habeas.accounts.models import Confidentiality
from habeas.sources.models import Source
from habeas.sources.pick import source_to_cite, sources_to_cite
from habeas.sources.services import source_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(admin_user) -> dict[str, Source]:
    def store(title: str, publisher: str, level: int) -> Source:
        return source_store(
            text=f"Text of {title}.", title=title, publisher=publisher, confidentiality=level, by=admin_user
        )[0]

    return {
        "public": store("Trial of a teacher", "Harbour Daily", Confidentiality.PUBLIC),
        "internal": store("Visit notes, teacher", "Field team", Confidentiality.INTERNAL),
        "restricted": store("Teacher's testimony", "Field team", Confidentiality.RESTRICTED),
    }


def test_search_matches_every_word_in_title_or_publisher_within_clearance(
    sources, viewer, reviewer, admin_user
):
    assert [s.title for s in sources_to_cite(viewer, "teacher")] == ["Trial of a teacher"]
    assert {s.title for s in sources_to_cite(reviewer, "TEACHER")} == {
        "Trial of a teacher",
        "Visit notes, teacher",
    }
    assert {s.title for s in sources_to_cite(admin_user, "teacher field")} == {
        "Visit notes, teacher",
        "Teacher's testimony",
    }
    assert sources_to_cite(admin_user, "   ") == []


def test_search_leaves_the_texts_unread(sources, admin_user, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = sources_to_cite(admin_user, "teacher")
    assert all("text" in s.get_deferred_fields() for s in found)


def test_one_source_above_clearance_is_answered_like_a_missing_one(sources, reviewer):
    assert source_to_cite(reviewer, sources["internal"].pk).text == "Text of Visit notes, teacher."
    for pk in (sources["restricted"].pk, 10_000, "x", None):
        with pytest.raises(Source.DoesNotExist):
            source_to_cite(reviewer, pk)

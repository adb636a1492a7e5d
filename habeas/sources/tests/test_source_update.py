"""Editing a source's metadata: history before/after, optimistic locking, the text left alone, addresses
limited to http(s), impossible dates refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from habeas.audit.models import History
from habeas.lib.dates import PartialDate
from habeas.sources.models import Source
from habeas.sources.services import EditConflict, source_store, source_update, url_check

pytestmark = pytest.mark.django_db

TEXT = "Qinghe Daily, fictional. The court heard the case of Liu Mingde on 3 May 2010."


@pytest.fixture
def source(researcher) -> Source:
    return source_store(text=TEXT, title="Trial notice", by=researcher, published="2010")[0]


def test_update_changes_metadata_bumps_the_version_and_writes_before_and_after(source, admin_user):
    updated = source_update(
        source=source,
        version=1,
        by=admin_user,
        title="Trial notice (corrected)",
        published="2010-05-04",
        reliability="B",
        publisher="Qinghe Daily",
    )
    assert updated.version == 2 and updated.title == "Trial notice (corrected)"
    assert updated.published == PartialDate(2010, 5, 4)
    assert (updated.published_start, updated.published_end) == (dt.date(2010, 5, 4), dt.date(2010, 5, 4))
    row = History.objects.filter(content_type__model="source", object_id=source.pk, action="update").get()
    assert row.user == admin_user
    assert row.changes == {
        "title": ["Trial notice", "Trial notice (corrected)"],
        "published": ["2010", "2010-05-04"],
        "reliability": ["F", "B"],
        "publisher": ["", "Qinghe Daily"],
    }


def test_a_stale_version_is_refused_and_nothing_is_written(source, researcher, admin_user):
    source_update(source=source, version=1, by=researcher, title="First editor's title")
    with pytest.raises(EditConflict, match="changed by someone else"):
        source_update(source=source, version=1, by=admin_user, title="Second editor's title")
    source.refresh_from_db()
    assert source.title == "First editor's title" and source.version == 2
    assert (
        History.objects.filter(object_id=source.pk, content_type__model="source", action="update").count()
        == 1
    )


def test_the_text_and_its_hash_are_not_editable(source, researcher):
    with pytest.raises(ValidationError, match="not editable here: text"):
        source_update(source=source, version=1, by=researcher, text="Another text")
    source.refresh_from_db()
    assert source.text == TEXT and source.version == 1


@pytest.mark.parametrize("url", ["ftp://example.org/a", "javascript:alert(1)", "data:text/html,<b>x</b>"])
def test_addresses_other_than_http_or_https_are_refused(source, researcher, url):
    with pytest.raises(ValidationError, match="http:// or https://"):
        source_update(source=source, version=1, by=researcher, url=url)
    with pytest.raises(ValidationError, match="http:// or https://"):
        source_store(text="Another fictional text.", title="x", by=researcher, url=url)
    assert url_check(" https://example.org/a ") == "https://example.org/a"


def test_an_impossible_date_or_an_empty_title_is_refused_with_its_reason(source, researcher):
    with pytest.raises(ValidationError, match="has no day 30"):
        source_update(source=source, version=1, by=researcher, published="2011-02-30")
    with pytest.raises(ValidationError, match="needs a title"):
        source_update(source=source, version=1, by=researcher, title="   ")
    source.refresh_from_db()
    assert source.published == PartialDate(2010) and source.version == 1


def test_a_failed_update_leaves_no_history_row(source, researcher):
    with pytest.raises(ValidationError):
        source_update(source=source, version=1, by=researcher, reliability="Z")
    assert not History.objects.filter(object_id=source.pk, content_type__model="source", action="update")

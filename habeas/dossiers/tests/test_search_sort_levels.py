"""A name search's sort below full clearance: by the names the reader may see, the hidden-name check
reading the restricted names' index (personname_restricted_idx, bench/RESULTS.md section 2)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from habeas.accounts.models import Confidentiality
from habeas.dossiers.models import Person, PersonName
from habeas.dossiers.selectors import person_list
from habeas.dossiers.tests.test_selectors import bundle, make

INTERNAL, RESTRICTED = Confidentiality.INTERNAL, Confidentiality.RESTRICTED


def _three() -> tuple[Person, Person, Person]:
    """Li Aaa (restricted; its visible name Li Zed), Li Mmm, and Li Ccc (internal; also Li Yyy)."""
    secret, middle, internal = make(
        bundle(1, names=("Li Aaa", "Li Zed")),
        bundle(2, names=("Li Mmm",)),
        bundle(3, names=("Li Ccc", "Li Yyy")),
    )
    PersonName.objects.filter(text="Li Aaa").update(confidentiality=RESTRICTED)
    PersonName.objects.filter(text="Li Ccc").update(confidentiality=INTERNAL)
    assert Person.objects.get(pk=secret.pk).display_name == "Li Aaa"
    return secret, middle, internal


def _listed(user, **options) -> list[tuple[int, str]]:
    page = person_list(user, **options)
    return [(p.pk, p.shown_name) for p in page.object_list]


@pytest.mark.django_db
def test_name_search_sorts_by_the_names_each_reader_may_see(viewer, reviewer, researcher) -> None:
    secret, middle, internal = _three()
    # Cleared for internal records: Li Ccc is seen, Li Aaa is not and sorts as Li Zed.
    expected = [(internal.pk, "Li Ccc"), (middle.pk, "Li Mmm"), (secret.pk, "Li Zed")]
    assert _listed(reviewer, q="li") == expected
    assert _listed(reviewer, q="li", sort="-name") == expected[::-1]
    assert person_list(reviewer, q="li").paginator.count == 3
    # Public only: Li Ccc is hidden too, and that person sorts as Li Yyy.
    assert _listed(viewer, q="li") == [(middle.pk, "Li Mmm"), (internal.pk, "Li Yyy"), (secret.pk, "Li Zed")]
    full = [(secret.pk, "Li Aaa"), (internal.pk, "Li Ccc"), (middle.pk, "Li Mmm")]
    assert _listed(researcher, q="li") == full
    # The restricted name finds nobody below full clearance, and the count says so.
    for reader in (viewer, reviewer):
        page = person_list(reader, q="li a")
        assert list(page.object_list) == [] and page.paginator.count == 0
    assert _listed(researcher, q="li a") == [(secret.pk, "Li Aaa")]


@pytest.mark.django_db
def test_hidden_name_check_reads_the_restricted_names_index(reviewer) -> None:
    _three()
    with CaptureQueriesContext(connection) as captured:
        person_list(reviewer, q="li")
    sql = captured.captured_queries[0]["sql"]
    assert '"confidentiality" > 1' in sql
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # tables of a few rows are otherwise scanned
            cursor.execute("EXPLAIN " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " ".join(str(column) for row in cursor.fetchall() for column in row)
    assert "personname_restricted_idx" in plan, plan

"""Page times at N generated persons: the dossier page and the person list (one filter; two filters;
two filters and a name search), each through Django's test Client as a signed-in researcher (the
whole request: middleware, session, selector, template) and through its selector alone, with the
number of queries per page. Targets: dossier and filtered list median <= 30 ms, list with two
filters and a name search median <= 50 ms.

    .venv/bin/python bench/bench_pages.py --db /tmp/bench.sqlite3 --reuse   # after bench_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/habeas_bench \\
        .venv/bin/python bench/bench_pages.py --reuse

Each page runs once untimed (warm caches), then once timed, for --pages different persons or filters.
"CPU" is this process's CPU time: on a shared machine the wall time includes waiting for a core.
"""

from __future__ import annotations

import functools
import random
import statistics
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import _common


def filters(count: int, seed: int = 3) -> list[dict[str, str]]:
    """Filter sets taken from randomly drawn persons, so none is empty: status, province, family name."""
    from habeas.dossiers.models import Person, PersonName

    rng = random.Random(seed)
    ids = _common.sample_ids(count, seed=seed)
    persons = Person.objects.in_bulk(ids)
    family = dict(
        PersonName.objects.filter(person_id__in=ids, script="Latn").values_list("person_id", "text")
    )
    out = []
    for pk in ids:
        person = persons[pk]
        name = family.get(pk, "")
        out.append(
            {
                "status": person.current_status,
                "province": person.residence_province,
                "q": name.split(" ", 1)[0] if rng.random() < 0.5 else name,
            }
        )
    return out


def main() -> None:
    p = _common.parser(__doc__)
    p.add_argument("--pages", type=int, default=200, help="persons or filter sets per row (default 200)")
    options = p.parse_args()
    database = _common.open_database(options)
    _common.header("Pages", database)
    filled = _common.fill(options.persons, reuse=options.reuse)
    print(f"fill: {'reused' if filled is None else f'{filled:.1f} s'}")

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from habeas.dossiers.selectors import person_dossier, person_facets, person_list

    user = _common.researcher()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    ids = _common.sample_ids(options.pages)
    sets = filters(options.pages)

    def get(url: str) -> Callable[[], Any]:
        def call() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    def select_list(**kwargs: Any) -> Callable[[], Any]:
        def call() -> None:
            person_facets(user)  # the list page builds its filter form from these
            page = person_list(user, **kwargs)
            list(page.object_list)
            assert page.paginator.count > 0, kwargs

        return call

    def one(f: dict[str, str]) -> dict[str, str]:
        return {"status": f["status"]}

    def two(f: dict[str, str]) -> dict[str, str]:
        return {"status": f["status"], "province": f["province"]}

    lists = [("list, one filter (status)", one), ("list, two filters (status, province)", two)]

    def named(f: dict[str, str]) -> dict[str, str]:
        return {**two(f), "q": f["q"]}

    lists.append(("list, two filters and a name", named))
    cases: list[tuple[str, list[Callable[[], Any]], list[Callable[[], Any]]]] = [
        (
            "dossier",
            [get(reverse("web:person_detail", args=[pk])) for pk in ids],
            [functools.partial(person_dossier, user, pk) for pk in ids],
        ),
        (
            "list, no filter",
            [get(reverse("web:person_list"))] * options.pages,
            [select_list()] * options.pages,
        ),
    ]
    for label, pick in lists:
        chosen = [pick(f) for f in sets]
        cases.append(
            (
                label,
                [get(reverse("web:person_list") + "?" + urlencode(f)) for f in chosen],
                [select_list(**f) for f in chosen],
            )
        )

    rows = []
    for label, pages, selects in cases:
        for how, calls in (("Client", pages), ("selector", selects)):
            for call in calls:
                call()  # warm
            cpu: list[float] = []
            samples = [ms for call in calls for ms in _common.timed(call, cpu=cpu)]
            with CaptureQueriesContext(connection) as captured:
                calls[0]()
            cpu_median = f"{statistics.median(cpu):.1f}"
            rows.append(
                [f"{label} ({how})", len(samples), len(captured), *_common.summary(samples), cpu_median]
            )
    _common.table(["page", "requests", "queries", *_common.SUMMARY_HEADERS, "CPU median ms"], rows)
    print(f"after: {_common.load()}")


if __name__ == "__main__":
    main()

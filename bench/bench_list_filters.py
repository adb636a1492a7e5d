"""Person list filters at N generated persons: person_list with each filter alone and all of them
together, for a researcher (cleared for everything) and a viewer (public only: the hidden-fact checks
run too), plus the filter choices (person_facets), with the number of queries. Target: every
filtered page median <= 50 ms at 100,000 persons.

    .venv/bin/python bench/bench_list_filters.py --db /tmp/bench.sqlite3 --reuse   # after bench_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/habeas_bench \\
        .venv/bin/python bench/bench_list_filters.py --reuse

Each filter set runs once untimed (warm caches), then --repeat times timed; the page's rows are read.
"""

from __future__ import annotations

from typing import Any

import _common

LAW = "PRC Criminal Law 1997"


def filter_sets() -> dict[str, dict[str, Any]]:
    from habeas.dossiers.models import Charge, Person
    from habeas.places.models import Place

    person = Person.objects.exclude(religion="").order_by("pk").first()
    charge = Charge.objects.exclude(statute="").exclude(article="").order_by("pk").first()
    place = Place.objects.order_by("pk").first()
    article = charge.article.split("(")[0] if charge else "105"
    sets: dict[str, dict[str, Any]] = {
        "none (page 1)": {},
        "page 100": {"page": 100},
        "religion": {"religion": person.religion if person else "Islam"},
        "sex": {"sex": "F"},
        "charge art.": {"statute": charge.statute if charge else LAW, "article": article},
        "place id": {"place": place.pk if place else 1},
        "place name prefix": {"place_name": (place.name if place else "Qinghe")[:6]},
        "sentence >= 10 y": {"sentence_min": 120},
        "sentence 3-5 y": {"sentence_min": 36, "sentence_max": 60},
        "sentence life+": {"sentence_min": "life"},
        "sentenced 2010": {"sentenced_since": "2010", "sentenced_until": "2010"},
        "detained 2015-2016": {"detained_since": "2015", "detained_until": "2016"},
        "allegation torture": {"allegation": "torture"},
        "WGAD II": {"allegation": "arbitrary_detention", "wgad_category": 2},
        "status detained": {"status": "detained"},
        "overdue": {"overdue": True},
        "overdue by release": {"overdue": True, "sort": "expected_release"},
        "name search": {"q": "wang"},
    }
    sets["all of them"] = {
        k: v for s in sets.values() for k, v in s.items() if k not in ("page", "q", "place", "sort")
    }
    return sets


def main() -> None:
    p = _common.parser(__doc__)
    p.add_argument("--repeat", type=int, default=20, help="timed runs per filter set (default 20)")
    options = p.parse_args()
    database = _common.open_database(options)
    _common.header("Person list filters", database)
    filled = _common.fill(options.persons, reuse=options.reuse)
    print(f"fill: {'reused' if filled is None else f'{filled:.1f} s'}")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from habeas.accounts.models import User
    from habeas.accounts.services import user_create
    from habeas.dossiers.selectors import person_facets, person_list

    viewer = User.objects.filter(username="bench-viewer").first() or user_create(
        username="bench-viewer", password=None, role="viewer", clearance=0
    )
    readers = {"researcher": _common.researcher(), "viewer": viewer}

    rows = []
    for label, filters in filter_sets().items():
        for who, user in readers.items():

            def page(user: Any = user, filters: dict[str, Any] = filters) -> int:
                result = person_list(user, **filters)
                [(p.shown_name, p.shown_status, p.shown_release) for p in result.object_list]
                return int(result.paginator.count)

            with CaptureQueriesContext(connection) as ctx:
                total = page()
            samples = _common.timed(page, options.repeat)
            rows.append([label, who, f"{total:,}", len(ctx.captured_queries), *_common.summary(samples)])
    for who, user in readers.items():
        with CaptureQueriesContext(connection) as ctx:
            person_facets(user)
        samples = _common.timed(lambda user=user: person_facets(user), options.repeat)
        rows.append(["filter choices", who, "", len(ctx.captured_queries), *_common.summary(samples)])
    _common.table(["filters", "reader", "matches", "queries", *_common.SUMMARY_HEADERS], rows)


if __name__ == "__main__":
    main()

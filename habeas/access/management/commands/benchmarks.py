"""habeas benchmarks: benchmark sets and their scorecards from the command line, as a named user."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from habeas.access import selectors, services
from habeas.access.cli import citation_args, dump, level, reader_user, refused, writer_user
from habeas.access.models import BenchmarkSet, Criterion, Rating
from habeas.access.seeds import benchmarks_1993_seed


class Command(BaseCommand):
    help = (
        "Benchmark sets (criteria a state was to meet) and their dated assessments, shown as a "
        "scorecard: criteria x dates, the latest rating of each and its change since the first. Read "
        "as the user named by --user (nothing above their clearance); writes need a researcher or "
        f"administrator. Ratings: {', '.join(f'{v} {label}' for v, label in Rating.choices)}.\n\n"
        "Examples:\n"
        "  habeas benchmarks list --user rita\n"
        "  habeas benchmarks scorecard 1 --user rita --format json\n"
        "  habeas benchmarks seed-1993 --user rita\n"
        '  habeas benchmarks create --title "Dialogue benchmarks" --country CN --criterion "Visits: UN '
        'experts may visit prisons" --user rita\n'
        '  habeas benchmarks assess --criterion 5 --date 2005-11 --rating "some progress" --summary '
        '"One UN visit, no ICRC access" --source 12 --quote "unconditional access" --user rita'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        def command(name: str, text: str) -> CommandParser:
            p = sub.add_parser(name, help=text, description=text)
            p.add_argument("--user", required=True, help="who reads (or writes): their clearance decides")
            p.add_argument("--format", choices=("text", "json"), default="text")
            return p

        listing = command("list", "benchmark sets (example: habeas benchmarks list --user rita)")
        listing.add_argument("--country", default="")
        card = command(
            "scorecard", "one set's scorecard (example: habeas benchmarks scorecard 1 --user rita)"
        )
        card.add_argument("set", type=int)
        create = command(
            "create",
            'add a benchmark set (example: habeas benchmarks create --title "Dialogue" --country CN '
            '--criterion "Visits: UN experts may visit prisons" --user rita)',
        )
        create.add_argument("--title", required=True)
        create.add_argument("--country", required=True)
        create.add_argument(
            "--criterion", action="append", default=[], help='"Short label: the criterion" (repeat)'
        )
        create.add_argument("--description", default="")
        create.add_argument("--adopted", default=None, help="YYYY, YYYY-MM or YYYY-MM-DD")
        create.add_argument("--confidentiality", choices=("public", "internal", "restricted"))
        command(
            "seed-1993",
            "add the 1993 conditions for China once (example: habeas benchmarks seed-1993 --user rita)",
        )
        assess = command(
            "assess",
            "rate a criterion at a date (example: habeas benchmarks assess --criterion 5 --date 2005 "
            '--rating 1 --summary "..." --unsourced --user rita)',
        )
        assess.add_argument(
            "--criterion", type=int, required=True, help="the criterion's number (see scorecard)"
        )
        assess.add_argument("--date", required=True)
        assess.add_argument("--rating", required=True, help="a number from -1 to 3 or its words")
        assess.add_argument("--summary", required=True)
        assess.add_argument("--source", type=int)
        assess.add_argument("--quote")
        assess.add_argument("--unsourced", action="store_true")
        assess.add_argument("--confidentiality", choices=("public", "internal", "restricted"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except ValidationError as error:
            raise CommandError(refused(error)) from error

    def _out(self, options: dict[str, Any], data: Any, lines: list[str]) -> None:
        if options["format"] == "json":
            self.stdout.write(dump(data))
        else:
            self.stdout.write("\n".join(lines) if lines else "(nothing you may see)")

    def _list(self, options: dict[str, Any]) -> None:
        user = reader_user(options["user"])
        rows: list[Any] = list(selectors.benchmark_sets_list(user, country=options["country"]))
        data = [
            {
                "id": s.pk,
                "title": s.title,
                "country": s.country,
                "criteria": s.criterion_count,
                "assessments": s.assessment_count,
            }
            for s in rows
        ]
        lines = [
            f"{s.pk:>4}  {s.country}  {s.title} "
            f"({s.criterion_count} criteria, {s.assessment_count} assessments)"
            for s in rows
        ]
        self._out(options, data, lines)

    def _scorecard(self, options: dict[str, Any]) -> None:
        user = reader_user(options["user"])
        try:
            card = selectors.scorecard(user, options["set"])
        except BenchmarkSet.DoesNotExist as missing:
            raise CommandError(
                f"no benchmark set {options['set']} visible to {user.get_username()}"
            ) from missing
        lines = [f"{card.benchmark_set.title} ({card.benchmark_set.country})"]
        header = [
            "criterion".ljust(28),
            *(d.isoformat().ljust(12) for d in card.dates),
            "latest".ljust(22),
            "change",
        ]
        lines.append("  ".join(header))
        for row in card.rows:
            cells = [f"{row.criterion.pk:>3} {row.criterion.label}"[:28].ljust(28)]
            cells += [(c.fact.get_rating_display() if c else "-")[:12].ljust(12) for c in row.cells]
            cells.append((row.latest.get_rating_display() if row.latest else "not assessed").ljust(22))
            cells.append("-" if row.change is None else f"{row.change:+d}")
            lines.append("  ".join(cells))
        self._out(options, card.as_dict(), lines)

    def _create(self, options: dict[str, Any]) -> None:
        user = writer_user(options["user"])
        criteria = []
        for item in options["criterion"]:
            label, colon, text = item.partition(":")
            if not colon or not label.strip() or not text.strip():
                raise CommandError(f'a criterion is "Short label: the criterion", not {item[:60]!r}')
            criteria.append((label.strip(), text.strip()))
        made = services.benchmark_set_create(
            title=options["title"],
            country=options["country"],
            criteria=criteria,
            description=options["description"],
            adopted=options["adopted"],
            confidentiality=level(options, default=0) or 0,
            by=user,
        )
        self._out(options, {"id": made.pk}, [f"set {made.pk} added: {made.title} ({len(criteria)} criteria)"])

    def _seed_1993(self, options: dict[str, Any]) -> None:
        user = writer_user(options["user"])
        made, created = benchmarks_1993_seed(by=user)
        self._out(
            options,
            {"id": made.pk, "created": created},
            [f"{'added' if created else 'already there'}: set {made.pk}, {made.title}"],
        )

    def _assess(self, options: dict[str, Any]) -> None:
        user = writer_user(options["user"])
        criterion = (
            Criterion.objects.filter(
                pk=options["criterion"], benchmark_set__confidentiality__lte=user.clearance
            )
            .select_related("benchmark_set")
            .first()
        )
        if criterion is None:
            raise CommandError(f"no criterion {options['criterion']} visible to {user.get_username()}")
        row = services.assessment_record(
            criterion=criterion,
            date=options["date"],
            rating=options["rating"],
            summary=options["summary"],
            confidentiality=level(options),
            **citation_args(options, user),
        )
        self._out(
            options, {"assessment": row.pk}, [f"{criterion.label}: {row.get_rating_display()} ({row.date})"]
        )

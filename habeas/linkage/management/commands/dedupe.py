"""habeas dedupe: find candidate duplicate persons (or places) across the whole database."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm


class Command(BaseCommand):
    help = (
        "Score every pair of persons (or, with --places, places of detention) that share a name key in "
        "any script or spelling, with the linkage model (splink on DuckDB), and store the pairs at or "
        "above the threshold as candidates for the review queue. Pairs are stored once and re-scored on "
        "the next run; pairs a reviewer decided stay as decided, and pairs decided different are never "
        "proposed again. Example: habeas dedupe --threshold 0.8; habeas dedupe --places. "
        "--spark MASTER runs the same model on Spark (pip install '.[spark]'), e.g. --spark local[2]."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--places", action="store_true", help="places of detention instead of persons")
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="store pairs with a match probability at or above this (default: the admin's review "
            "threshold, see habeas linkage_settings)",
        )
        parser.add_argument("--spark", metavar="MASTER", default="", help="run on Spark at this master URL")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")

    def handle(self, *args: Any, **options: Any) -> None:
        from habeas.dossiers.models import Person
        from habeas.linkage.dedupe import dedupe_persons, dedupe_places
        from habeas.places.models import Place

        threshold = options["threshold"]
        if threshold is not None and not 0.0 < threshold <= 1.0:
            raise CommandError("--threshold must be above 0 and at most 1")
        places = options["places"]
        total = (Place if places else Person).objects.filter(merged_into__isnull=True).count()
        bar = tqdm(
            total=total,
            unit=" places" if places else " persons",
            unit_scale=True,
            file=sys.stderr,
            disable=options["no_progress"],
            desc="reading",
        )
        db_api = None
        if options["spark"]:
            from habeas.linkage.spark import spark_api

            try:
                db_api = spark_api(master=options["spark"])
            except ImportError as error:
                raise CommandError(str(error)) from None
        try:
            run = dedupe_places if places else dedupe_persons
            report = run(threshold=threshold, progress=bar.update, db_api=db_api)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        finally:
            bar.close()
        self.stdout.write(report.summary())

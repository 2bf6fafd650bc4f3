"""Generate realistic synthetic data, from the size of the seeds up to national scale."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from auditfollowup import page_cache
from dataimport.synthetic.fixture import write_fixture
from dataimport.synthetic.generator import (
    SLUG_PREFIX,
    Generator,
    analyze_tables,
    synthetic_data_exists,
)
from dataimport.synthetic.scale import Scale
from recommendations.models import Recommendation

FIXTURE_FIRST_PK = 1_000_001


class Command(BaseCommand):
    help = (
        "Generate synthetic municipalities, boards, audits, rounds, recommendations, responses, "
        "measures and assessments. --scale 1 is about the size of the seed documents; "
        "--scale national is 290 municipalities and 20,000 audits. With --fixture the data is "
        "written to a fixture file instead of being kept in the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", default="1", help="A number (1 = the seeds' size) or 'national'."
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument(
            "--staff-password",
            help="Give every generated user (board staff, <slug>-revisor, <slug>-admin) this "
            "password (default: unusable passwords).",
        )
        parser.add_argument(
            "--fixture",
            metavar="PATH",
            help="Write the data to PATH (Django serialization JSON) and leave the database as "
            "it was.",
        )

    def handle(self, *args, **options):
        try:
            scale = Scale.parse(options["scale"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        if synthetic_data_exists():
            raise CommandError(
                "This database already holds synthetic data; generate into a fresh database."
            )
        self.stdout.write(
            f"Generating {scale.audits} audits in {scale.municipalities} municipalities "
            f"(scale {options['scale']}, seed {options['seed']})..."
        )
        started = time.perf_counter()
        fixture = options["fixture"]
        generator = Generator(
            scale=scale,
            seed=options["seed"],
            staff_password=options["staff_password"],
            # A fixture's objects are matched on pk: keep them in a block of their own, far
            # from the seed fixtures' numbers, so importing both never mixes them up.
            first_pk=FIXTURE_FIRST_PK if fixture else 1,
        )
        with transaction.atomic():
            counts = generator.run(progress=self._progress, reset_sequences=not fixture)
            if fixture:
                with open(options["fixture"], "w", encoding="utf-8") as stream:
                    written = write_fixture(stream)
                transaction.set_rollback(True)
            else:
                analyze_tables()
                Recommendation.objects.filter(
                    audit__municipality__slug__startswith=SLUG_PREFIX
                ).refresh_search_vectors()
                page_cache.invalidate()
        elapsed = time.perf_counter() - started
        for label, count in sorted(counts.items()):
            self.stdout.write(f"  {label}: {count}")
        total = sum(counts.values())
        if options["fixture"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Wrote {written} objects to {options['fixture']} in {elapsed:.1f} s; "
                    "the database is unchanged."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated {total} rows in {elapsed:.1f} s ({total / elapsed:.0f} rows/s) "
                    f"on {connection.vendor}."
                )
            )

    def _progress(self, done: int, total: int):
        self.stdout.write(f"  {done}/{total} audits")

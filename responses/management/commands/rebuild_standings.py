"""Rebuild every board's standing and every recommendation's status from the data."""

import time

from django.core.management.base import BaseCommand

from responses import standings


class Command(BaseCommand):
    help = (
        "Recompute the boards' standings and the recommendations' status from the published "
        "answers, assessments and measures. They are kept up to date on every write; this is "
        "for after a manual database change."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = standings.rebuild()  # (which makes the cached pages stale)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the standings of {count} recommendations "
                f"in {time.perf_counter() - started:.1f} s."
            )
        )

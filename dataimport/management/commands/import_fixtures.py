"""manage.py import_fixtures PATH... : validate and import fixture files, all or nothing."""

import sys

from django.core.management.base import BaseCommand, CommandError

from dataimport.importer import ImportFailed, import_files
from recommendations.models import Audit


class Command(BaseCommand):
    help = (
        "Import fixture files (Django JSON) or folders of them: every object validated, "
        "all or nothing, safe to run again. See fixtures/README.md for the format."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="JSON files or folders of them")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="validate and report what would change, without writing anything",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="import only into a database without audits (used by `make run`, so a second "
            "start does not undo edits made in the app)",
        )

    def handle(self, *args, paths, dry_run, if_empty, verbosity, **options):
        if if_empty and Audit.objects.exists():
            self.stdout.write("Databasen innehåller redan granskningar; ingen import.")
            return
        show_progress = (verbosity >= 1 and sys.stdout.isatty()) or verbosity >= 2

        def progress(done, total):
            if show_progress and total >= 1000:
                self.stdout.write(f"  validerat {done}/{total} objekt", ending="\r")
                self.stdout.flush()

        try:
            result = import_files(paths, dry_run=dry_run, progress=progress)
        except ImportFailed as failure:
            raise CommandError(
                f"Importen avbröts; databasen är oförändrad. "
                f"{len(failure.problems)} fel:\n{failure}"
            ) from None

        if verbosity >= 1:
            heading = "Torrkörning, inget sparat" if dry_run else "Importerat"
            self.stdout.write(f"{heading}: {result.total} objekt.")
            for name, created, updated, unchanged in result.rows():
                self.stdout.write(
                    f"  {name}: {created} nya, {updated} ändrade, {unchanged} oförändrade"
                )
        if verbosity >= 2:
            for change in result.changes:
                self.stdout.write(f"  ändrat: {change}")

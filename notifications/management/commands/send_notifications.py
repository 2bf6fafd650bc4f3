"""Plan the reminders due today and send the outbox; run daily by cron or a systemd timer."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from notifications.outbox import send_due
from notifications.planning import write_plan


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Write today's reminders, digests and escalations to the outbox and send every "
        "mail that is due. Safe to run again: nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=_day, help="Plan and send as if it were this day (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be planned and sent; write and send nothing.",
        )

    def handle(self, *args, today=None, dry_run=False, verbosity=1, **options):
        today = today or timezone.localdate()
        if dry_run:
            # Plan inside a transaction that is rolled back, so the send step sees the
            # planned rows without anything being kept.
            with transaction.atomic():
                plan = write_plan(today)
                result = send_due(today, dry_run=True)
                transaction.set_rollback(True)
        else:
            plan = write_plan(today)
            result = send_due(today)
        prefix = "[dry run] " if dry_run else ""
        if verbosity >= 2:
            for message in result.mails:
                self.stdout.write(f"{prefix}{message.to[0]}: {message.subject}")
        self.stdout.write(
            f"{prefix}{today.isoformat()}: {plan.created} new, {plan.cancelled} withdrawn; "
            f"{len(result.mails)} mails {'would be ' if dry_run else ''}sent, "
            f"{result.cancelled} cancelled at send time, {result.failed} failed, "
            f"{result.refused} refused for good."
        )

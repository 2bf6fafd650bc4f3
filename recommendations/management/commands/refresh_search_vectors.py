"""Rebuild every recommendation's full-text search vector (PostgreSQL)."""

from django.core.management.base import BaseCommand

from recommendations.models import Recommendation


class Command(BaseCommand):
    help = "Rebuild the full-text search vectors from the wording and published answers."

    def handle(self, *args, **options):
        count = Recommendation.objects.all().refresh_search_vectors()
        self.stdout.write(f"Refreshed {count} search vectors.")

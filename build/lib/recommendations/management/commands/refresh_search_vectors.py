"""Rebuild every recommendation's full-text search vector (PostgreSQL)."""

from django.core.management.base import BaseCommand

from auditfollowup import page_cache
from recommendations.models import Recommendation


class Command(BaseCommand):
    help = "Rebuild the full-text search vectors from the wording and published answers."

    def handle(self, *args, **options):
        count = Recommendation.objects.all().refresh_search_vectors()
        page_cache.invalidate()
        self.stdout.write(f"Refreshed {count} search vectors.")

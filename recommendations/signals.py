"""Keep the full-text search vectors up to date when answers change.

A response's narratives enter a recommendation's search vector only while the response
is published, so a save of a response (published, unpublished) or of one of its entries
rebuilds the vectors of the recommendations it answers, in one SQL UPDATE. Fixture
loading (``raw``) is skipped: the importer refreshes all vectors once at the end.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from responses.models import Response, ResponseEntry

from .models import Recommendation


@receiver(post_save, sender=Response, dispatch_uid="search_vector_response_saved")
def refresh_after_response_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    Recommendation.objects.filter(entries__response=instance).refresh_search_vectors()


@receiver(post_save, sender=ResponseEntry, dispatch_uid="search_vector_entry_saved")
@receiver(post_delete, sender=ResponseEntry, dispatch_uid="search_vector_entry_deleted")
def refresh_after_entry_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    Recommendation.objects.filter(pk=instance.recommendation_id).refresh_search_vectors()

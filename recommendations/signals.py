"""Keep the full-text search vectors up to date when answers change.

A recommendation's vector holds its own wording, its audit's reference and title and its
published answers: a save of the recommendation (its text or label edited in the admin, a
new one) or of its audit rebuilds it.
A response's narratives enter a recommendation's search vector only while the response
is published, so a save of a response that is or was published (publishing it,
unpublishing it) or of one of its entries rebuilds the vectors of the recommendations it
answers; a draft's saves change none (``changes_public_pages``). One SQL UPDATE, run once the
transaction commits (so a rolled-back save changes nothing, and the request's own
queries stay what they are). Fixture loading (``raw``) is skipped: the importer
refreshes every vector once at the end. Nothing happens on databases without vectors.
"""

from functools import partial

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from responses.models import Response, ResponseEntry

from .models import Audit, Recommendation


def _refresh_later(queryset):
    if connection.vendor == "postgresql":
        transaction.on_commit(partial(_refresh, queryset))


def _refresh(queryset):
    queryset.refresh_search_vectors()


@receiver(post_save, sender=Response, dispatch_uid="search_vector_response_saved")
def refresh_after_response_saved(sender, instance, raw=False, **kwargs):
    # A draft's save (one never published) cannot change a vector: it reads published
    # answers only.
    if not raw and instance.changes_public_pages():
        _refresh_later(Recommendation.objects.filter(entries__response_id=instance.pk))


@receiver(post_save, sender=ResponseEntry, dispatch_uid="search_vector_entry_saved")
def refresh_after_entry_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.changes_public_pages():
        _refresh_later(Recommendation.objects.filter(pk=instance.recommendation_id))


@receiver(post_delete, sender=ResponseEntry, dispatch_uid="search_vector_entry_deleted")
def refresh_after_entry_deleted(sender, instance, **kwargs):
    _refresh_later(Recommendation.objects.filter(pk=instance.recommendation_id))


@receiver(post_save, sender=Audit, dispatch_uid="search_vector_audit_saved")
def refresh_after_audit_saved(sender, instance, raw=False, **kwargs):
    """The audit's reference and title are searchable with its recommendations."""
    if not raw:
        _refresh_later(Recommendation.objects.filter(audit_id=instance.pk))


@receiver(post_save, sender=Recommendation, dispatch_uid="search_vector_recommendation_saved")
def refresh_after_recommendation_saved(sender, instance, raw=False, **kwargs):
    """Its wording is searchable: a new or edited recommendation is found by it at once."""
    if not raw:
        _refresh_later(Recommendation.objects.filter(pk=instance.pk))

"""Keep the standings in step on every save that changes them (see ``standings.py``).

Each receiver names the recommendations a write may change and hands them to
``standings.changed()``, which refreshes them at once (inside the write's transaction)
or at the end of an enclosing ``standings.batched()`` block. Writes that cannot change
a standing are skipped: saving a draft, or a measure that only a draft announces.
Fixture loading (``raw``) and bulk writes send no signals; the importer and the
generator refresh what they wrote themselves. A migration that changes what a standing
holds says so (``rederives_standings = True``), and the standings are derived again
once the whole run of migrations is applied.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from auditfollowup import page_cache
from recommendations.models import Audit, AuditorAssessment, Board, FollowUpRound, Recommendation

from . import standings
from .models import BoardStanding, Measure, Response, ResponseEntry


@receiver(post_save, sender=Response, dispatch_uid="standings_response_saved")
def response_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.changes_public_pages():
        standings.changed(instance.entries.values_list("recommendation_id", flat=True))


@receiver(post_save, sender=ResponseEntry, dispatch_uid="standings_entry_saved")
def entry_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.changes_public_pages():
        standings.changed([instance.recommendation_id, *instance.moved_from("recommendation_id")])


@receiver(post_delete, sender=ResponseEntry, dispatch_uid="standings_entry_deleted")
def entry_deleted(sender, instance, **kwargs):
    standings.changed([instance.recommendation_id])


def _served_by(measure) -> list[int]:
    return [
        measure.recommendation_id,
        *measure.moved_from("recommendation_id"),
        *measure.also_serves.values_list("pk", flat=True),
    ]


@receiver(post_save, sender=Measure, dispatch_uid="standings_measure_saved")
def measure_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.changes_public_pages():
        standings.changed(_served_by(instance))


@receiver(pre_delete, sender=Measure, dispatch_uid="standings_measure_deleting")
def measure_deleting(sender, instance, **kwargs):
    # Its also_serves rows go with it: read the recommendations it served while they last.
    instance._served_before_delete = _served_by(instance)


@receiver(post_delete, sender=Measure, dispatch_uid="standings_measure_deleted")
def measure_deleted(sender, instance, **kwargs):
    served = getattr(instance, "_served_before_delete", [instance.recommendation_id])
    standings.changed(served)


@receiver(post_save, sender=AuditorAssessment, dispatch_uid="standings_assessment_saved")
@receiver(post_delete, sender=AuditorAssessment, dispatch_uid="standings_assessment_deleted")
def assessment_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        standings.changed([instance.recommendation_id, *instance.moved_from("recommendation_id")])


@receiver(post_save, sender=Recommendation, dispatch_uid="standings_recommendation_saved")
def recommendation_saved(sender, instance, raw=False, **kwargs):
    # Closing or reopening it, or a new recommendation (its boards follow via m2m_changed).
    if raw:
        return
    standings.changed([instance.pk])
    if left := instance.moved_from("audit_id"):
        # Moved to another audit: the municipality it leaves counts one fewer.
        standings.refresh_municipality_counts(
            Audit.objects.filter(pk__in=left).values("municipality_id")
        )


@receiver(post_save, sender=FollowUpRound, dispatch_uid="standings_round_saved")
@receiver(post_delete, sender=FollowUpRound, dispatch_uid="standings_round_deleted")
def round_changed(sender, instance, raw=False, **kwargs):
    # A board's latest answer is the one of its latest round: renumbered, moved to another
    # audit or deleted, a round changes which answer that is.
    if not raw:
        audits = [instance.audit_id, *instance.moved_from("audit_id")]
        standings.changed(
            Recommendation.objects.filter(audit_id__in=audits).values_list("pk", flat=True)
        )


@receiver(post_delete, sender=Recommendation, dispatch_uid="standings_recommendation_deleted")
def recommendation_deleted(sender, instance, **kwargs):
    # Its standings went with it (CASCADE); its municipality counts one fewer. When its
    # audit is being deleted too, the audit's own receiver counts again afterwards.
    standings.refresh_municipality_counts(
        Audit.objects.filter(pk=instance.audit_id).values("municipality_id")
    )


@receiver(post_save, sender=Audit, dispatch_uid="standings_audit_saved")
def audit_saved(sender, instance, created=False, raw=False, **kwargs):
    # Its dates and kind decide under which audit year, and from which day, its
    # recommendations are counted; a new audit is one more for its municipality.
    if raw:
        return
    if not created:
        standings.changed(instance.recommendations.values_list("pk", flat=True))
    standings.refresh_municipality_counts(
        [instance.municipality_id, *instance.moved_from("municipality_id")]
    )


@receiver(post_delete, sender=Audit, dispatch_uid="standings_audit_deleted")
def audit_deleted(sender, instance, **kwargs):
    standings.refresh_municipality_counts([instance.municipality_id])


@receiver(pre_delete, sender=Board, dispatch_uid="standings_board_deleting")
def board_deleting(sender, instance, **kwargs):
    # Its rows as addressee and answerer go with it without an m2m_changed signal: read
    # the recommendations it is concerned by (each has a standing of it) while they last.
    instance._concerned_before_delete = list(
        BoardStanding.objects.filter(board=instance).values_list("recommendation_id", flat=True)
    )


@receiver(post_delete, sender=Board, dispatch_uid="standings_board_deleted")
def board_deleted(sender, instance, **kwargs):
    standings.changed(getattr(instance, "_concerned_before_delete", []))


_AFTER = {"post_add", "post_remove", "post_clear"}


@receiver(m2m_changed, sender=Recommendation.addressed_to.through, dispatch_uid="standings_to")
@receiver(m2m_changed, sender=Recommendation.answered_by.through, dispatch_uid="standings_by")
def boards_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse and action == "pre_clear":  # board.addressed_recommendations.clear()
        instance._cleared_recommendations = list(
            sender.objects.filter(board_id=instance.pk).values_list("recommendation_id", flat=True)
        )
    elif action in _AFTER:
        if reverse:
            standings.changed(pk_set or getattr(instance, "_cleared_recommendations", []))
        else:
            standings.changed([instance.pk])


@receiver(m2m_changed, sender=Measure.also_serves.through, dispatch_uid="standings_shared")
def shared_measure_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse and action == "pre_clear":
        instance._cleared_recommendations = list(instance.also_serves.values_list("pk", flat=True))
    elif action in _AFTER:
        if reverse:  # recommendation.shared_measures.add(*measures)
            standings.changed([instance.pk])
        else:
            cleared = getattr(instance, "_cleared_recommendations", [])
            standings.changed([instance.recommendation_id, *(pk_set or []), *cleared])


def rederive_after_migrations(sender, plan=None, **kwargs):
    """After ``migrate``: derive every standing again (``standings.rebuild``) when a
    migration applied in this run changes what standings hold. Run here, after the last
    migration, rather than inside one: the application's own derivation reads the models
    as they are now, which the database matches only once every migration is applied.
    An empty database (a new installation, the tests) has nothing to derive.

    Any migration applied forwards may change what a public page shows (a data
    migration's plain ``update()`` sends no signal): the cached pages are made stale."""
    forwards = [migration for migration, backwards in plan or [] if not backwards]
    if forwards:
        page_cache.invalidate()
    changed = any(getattr(migration, "rederives_standings", False) for migration in forwards)
    if (
        changed
        and _fully_migrated(kwargs.get("using", "default"))
        and Recommendation.objects.exists()
    ):
        standings.rebuild()


def _fully_migrated(using: str) -> bool:
    """Whether every migration is applied: after ``migrate responses 0009`` (a target short
    of the latest) the database does not match today's models yet, and the next full
    ``migrate`` derives the standings instead."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())

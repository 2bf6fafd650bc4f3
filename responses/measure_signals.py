"""Keep each measure saying what its latest public report and its latest public move of the
due date say, when an admin changes which those are: deletes a report, adds, corrects or
deletes a move, moves a report or a move into another answer (a draft's: no longer
public), renumbers a round or moves a published answer to another round.
Publishing copies the reports itself (``services._apply_measure_updates``); these
receivers cover the admin's corrections, through the same services."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from recommendations.models import FollowUpRound

from . import services
from .models import DueDateChange, MeasureUpdate, Response, ResponseEntry


@receiver(pre_delete, sender=MeasureUpdate, dispatch_uid="measure_report_deleting")
def report_deleting(sender, instance, **kwargs):
    # Read while its entry and response still exist: does the measure say what it said?
    instance._was_latest_public = instance.is_latest_public_report()


@receiver(post_delete, sender=MeasureUpdate, dispatch_uid="measure_report_deleted")
def report_deleted(sender, instance, **kwargs):
    # Deleted with its measure, the measure's other reports went in the same batch: no
    # public report is left to take, and the measure is left alone on its way out.
    if getattr(instance, "_was_latest_public", False):
        services.measure_takes_its_latest_report(instance.measure_id)


@receiver(pre_save, sender=MeasureUpdate, dispatch_uid="measure_report_moving")
def report_moving(sender, instance, raw=False, **kwargs):
    # Moved to another answer: was it, where it was, the report its measure says?
    instance._left_latest_public = (
        not raw
        and bool(instance.moved_from("entry_id"))
        and MeasureUpdate.objects.get(pk=instance.pk).is_latest_public_report()
    )


@receiver(post_save, sender=MeasureUpdate, dispatch_uid="measure_report_moved")
def report_moved(sender, instance, raw=False, **kwargs):
    # Now in a draft, or an earlier answer, the measure takes its latest public report.
    # (Moved to where it is the latest, the admin passes it on: ``corrects_its_measure``.)
    if instance._left_latest_public and not instance.is_latest_public_report():
        services.measure_takes_its_latest_report(instance.measure_id)


@receiver(pre_save, sender=DueDateChange, dispatch_uid="measure_move_moving")
def move_moving(sender, instance, raw=False, **kwargs):
    instance._left_latest_public = (
        not raw
        and "entry_id" in getattr(instance, "_loaded_values", {})
        and instance.loaded_value("entry_id") != instance.entry_id
        and DueDateChange.objects.get(pk=instance.pk).is_latest_public_move()
    )
    if instance._left_latest_public:
        # Read before the save: with no public move left, the measure returns to the
        # date its first move moved from.
        instance._first_due = DueDateChange.objects.earliest_public_of(instance.measure_id).previous


@receiver(post_save, sender=DueDateChange, dispatch_uid="measure_move_saved")
def move_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.is_latest_public_move():
        services.measure_takes_its_latest_move(instance.measure_id)
    elif instance._left_latest_public:
        services.measure_takes_its_latest_move(instance.measure_id, otherwise=instance._first_due)


@receiver(pre_delete, sender=DueDateChange, dispatch_uid="measure_move_deleting")
def move_deleting(sender, instance, origin=None, **kwargs):
    # Only a move deleted itself (its admin page, the list's delete action): one deleted
    # with its measure leaves nothing to follow, and a published answer's moves are kept
    # when the answer is deleted (``kept_only_if_published``).
    deleted_itself = isinstance(origin, DueDateChange) or (
        getattr(origin, "model", None) is DueDateChange
    )
    instance._was_latest_public = deleted_itself and instance.is_latest_public_move()
    if instance._was_latest_public:
        # Read before anything is deleted (Django sends every pre_delete first): should
        # every move go, as the list's "delete selected" may do, the measure returns to
        # the date its first move moved from.
        instance._first_due = DueDateChange.objects.earliest_public_of(instance.measure_id).previous


@receiver(post_delete, sender=DueDateChange, dispatch_uid="measure_move_deleted")
def move_deleted(sender, instance, **kwargs):
    if getattr(instance, "_was_latest_public", False):
        services.measure_takes_its_latest_move(instance.measure_id, otherwise=instance._first_due)


# An admin correcting a published answer's round or decision date, or renumbering a round,
# can change which report and which move of the due date is a measure's latest: the
# measures whose latest report or move changed take the new one. Drafts and submitted
# answers are skipped (no query): their reports and moves are not public.
def _latest_reports(reports) -> dict:
    measure_ids = reports.values_list("measure_id", flat=True).distinct()
    latest = MeasureUpdate.objects.latest_public_by_measure(list(measure_ids))
    return {measure_id: report.pk for measure_id, report in latest.items()}


def _latest_moves(moves) -> dict:
    latest = DueDateChange.objects.latest_public_by_measure(moves.values("measure_id"))
    return {measure_id: move.pk for measure_id, move in latest.items()}


def _follow(instance, reports, moves) -> None:
    """Remember, before the save or delete, the latest public report and move of each
    measure ``reports`` and ``moves`` concern."""
    instance._reports_to_follow, instance._moves_to_follow = reports, moves
    instance._latest_reports_before = _latest_reports(reports)
    instance._latest_moves_before = _latest_moves(moves)


def _reports_reordered(instance) -> None:
    before = getattr(instance, "_latest_reports_before", None)
    if before is None:
        return
    after = _latest_reports(instance._reports_to_follow)
    for measure_id, report_pk in after.items():
        if before.get(measure_id) != report_pk:
            services.measure_takes_its_latest_report(measure_id)
    moves_before = instance._latest_moves_before
    for measure_id, move_pk in _latest_moves(instance._moves_to_follow).items():
        if moves_before.get(measure_id) != move_pk:
            services.measure_takes_its_latest_move(measure_id)


@receiver(pre_save, sender=Response, dispatch_uid="measure_reports_response_saving")
def response_saving(sender, instance, raw=False, **kwargs):
    if raw or not instance.was_public():
        return
    _follow(
        instance,
        MeasureUpdate.objects.filter(entry__response_id=instance.pk),
        # Every move of the measures it moved: the others' order may change with it.
        DueDateChange.objects.filter(measure__due_date_changes__entry__response_id=instance.pk),
    )


@receiver(post_save, sender=Response, dispatch_uid="measure_reports_response_saved")
def response_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _reports_reordered(instance)


@receiver(pre_save, sender=FollowUpRound, dispatch_uid="measure_reports_round_saving")
def round_saving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    audits = [instance.audit_id, *instance.moved_from("audit_id")]
    _follow(
        instance,
        MeasureUpdate.objects.in_public_answers().filter(
            entry__response__round__audit_id__in=audits
        ),
        DueDateChange.objects.filter(
            measure__due_date_changes__entry__response__round__audit_id__in=audits
        ),
    )


@receiver(post_save, sender=FollowUpRound, dispatch_uid="measure_reports_round_saved")
def round_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _reports_reordered(instance)


# Deleting a published answer (or its whole response) keeps its moves of due dates, as
# the admin's (its entry gone, ``kept_only_if_published``: a bulk SET NULL, no signal):
# they now go by when they were made, which can make another move a measure's latest.
def _remember_moved_measures(instance, moves) -> None:
    instance._moved_measures = list(moves.values_list("measure_id", flat=True).distinct())
    instance._latest_moves_before = (
        _latest_moves(DueDateChange.objects.filter(measure_id__in=instance._moved_measures))
        if instance._moved_measures
        else {}
    )


def _moved_measures_follow(instance) -> None:
    measures = getattr(instance, "_moved_measures", None)
    if not measures:
        return
    after = _latest_moves(DueDateChange.objects.filter(measure_id__in=measures))
    for measure_id, move_pk in after.items():
        if instance._latest_moves_before.get(measure_id) != move_pk:
            services.measure_takes_its_latest_move(measure_id)


@receiver(pre_delete, sender=Response, dispatch_uid="measure_moves_response_deleting")
def response_deleting(sender, instance, **kwargs):
    # Read now, while the response is there; its entries' receivers leave it to this one.
    _remember_moved_measures(
        instance, DueDateChange.objects.public().filter(entry__response_id=instance.pk)
    )


@receiver(post_delete, sender=Response, dispatch_uid="measure_moves_response_deleted")
def response_deleted(sender, instance, **kwargs):
    _moved_measures_follow(instance)


@receiver(pre_delete, sender=ResponseEntry, dispatch_uid="measure_moves_entry_deleting")
def entry_deleting(sender, instance, origin=None, **kwargs):
    deleted_with_its_response = isinstance(origin, Response) or (
        getattr(origin, "model", None) is Response
    )
    if not deleted_with_its_response:
        _remember_moved_measures(
            instance, DueDateChange.objects.public().filter(entry_id=instance.pk)
        )


@receiver(post_delete, sender=ResponseEntry, dispatch_uid="measure_moves_entry_deleted")
def entry_deleted(sender, instance, **kwargs):
    _moved_measures_follow(instance)

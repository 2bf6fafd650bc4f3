"""Actions that write several models at once: each is one transaction, all or nothing."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from auditfollowup.lib.dates import FuzzyDate
from recommendations.models import Board, FollowUpRound, Recommendation

from . import signals, standings
from .models import DueDateChange, Measure, MeasureUpdate, Response, ResponseEntry


class StaleVersion(Exception):
    """Someone else saved the response after this editor loaded it."""


@dataclass(frozen=True)
class EntryInput:
    recommendation: Recommendation
    status: str
    narrative: str


@dataclass(frozen=True)
class MeasureInput:
    measure: Measure
    recommendation: Recommendation
    status: str
    note: str
    due: FuzzyDate | None
    due_reason: str
    completed: FuzzyDate | None
    effect: str
    # False for a shared measure's report under a recommendation other than its leading
    # one: it records status and note; the due date, completion and effect come from
    # the leading report.
    leading: bool = True
    # A measure this draft announced (``own``): its corrected title and responsible, or
    # its removal from the draft. None and False for every other measure.
    title: str | None = None
    responsible: str | None = None
    remove: bool = False

    @classmethod
    def own(cls, *, measure, recommendation, title, responsible, remove, **report):
        return cls(
            measure=measure,
            recommendation=recommendation,
            due_reason="",
            title=title,
            responsible=responsible,
            remove=remove,
            **report,
        )

    @property
    def is_own(self) -> bool:
        return self.title is not None

    @classmethod
    def shared(cls, *, measure, recommendation, status, note):
        return cls(
            measure=measure,
            recommendation=recommendation,
            status=status,
            note=note,
            # Names no due date: the report shows the measure's (``reported_due``), moved
            # or not by the leading report, never the date as it stood when saved.
            due=None,
            due_reason="",
            completed=None,
            effect="",
            leading=False,
        )


@dataclass(frozen=True)
class NewMeasureInput:
    recommendation: Recommendation
    title: str
    responsible: str
    due: FuzzyDate | None
    status: str
    completed: FuzzyDate | None
    effect: str


def _claim_version(response: Response, expected_version: int) -> None:
    """Bump the version only if nobody else has: UPDATE … WHERE version = n.

    On PostgreSQL the UPDATE also locks the row, so a concurrent save waits and
    then finds the version moved on; it is refused, never silently merged.
    """
    claimed = Response.objects.filter(pk=response.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if not claimed:
        raise StaleVersion
    response.version = expected_version + 1


def default_title(round: FollowUpRound) -> str:
    """A new draft's title: always Swedish, the document's language, whatever language the
    author reads the site in; without the board's name, which every page and the feed show
    beside the title."""
    with translation.override("sv"):
        return _("Yttrande – %(round)s") % {"round": round.title}


@transaction.atomic
def start_response(*, board: Board, round: FollowUpRound, user) -> Response:
    response = Response(
        board=board,
        round=round,
        title=default_title(round),
        addressed_to=round.requested_by,
        decided_by=board.name,
        state=Response.State.DRAFT,
        provenance=Response.Provenance.ENTERED,
        created_by=user,
    )
    response.full_clean()
    response.save()
    return response


@transaction.atomic
def save_response(
    *,
    response: Response,
    expected_version: int,
    user,
    title: str,
    addressed_to: str,
    summary: str,
    entries: list[EntryInput],
    measure_updates: list[MeasureInput],
    new_measures: list[NewMeasureInput],
) -> Response:
    """Save the whole edit page of a draft: the response, every entry and every measure."""
    if not response.is_editable:
        raise ValidationError(_("Bara utkast kan ändras."))
    _claim_version(response, expected_version)
    response.title, response.addressed_to, response.summary = title, addressed_to, summary
    response.full_clean()
    # Only what this page edits: an attachment uploaded meanwhile is not overwritten.
    response.save(update_fields=["title", "addressed_to", "summary", "version"])

    # A row whose values the page sends back unchanged is not written again: the same
    # data, without a history row that changes nothing (the history page skips those
    # anyway) and without its signals. The page's rows are read in three queries, so a
    # save costs queries for what changed only.
    existing = {entry.recommendation_id: entry for entry in response.entries.order_by()}
    entry_for = {}
    for item in entries:
        entry = existing.get(item.recommendation.pk)
        if entry is None:
            entry = ResponseEntry(response=response, recommendation=item.recommendation)
        else:
            entry.recommendation = item.recommendation  # loaded already: clean() asks
        entry_for[item.recommendation.pk] = entry
        if entry.pk is not None and (entry.status, entry.narrative) == (
            item.status,
            item.narrative,
        ):
            continue
        entry.status, entry.narrative = item.status, item.narrative
        entry.full_clean()
        entry.save()

    now = timezone.now()
    reports = _Reports(response)
    removed = _correct_own_measures(measure_updates, existing)
    for item in measure_updates:
        # A deleted instance has lost its key (Django sets it to None).
        if item.measure.pk is not None and item.measure.pk not in removed:
            _update_measure(item, entry_for[item.recommendation.pk], reports, user=user, now=now)
    for item in new_measures:
        measure = Measure(
            recommendation=item.recommendation,
            board=response.board,
            title=item.title,
            responsible=item.responsible,
            status=item.status,
            effect=item.effect,
            announced_in=entry_for[item.recommendation.pk],
        )
        measure.due, measure.completed = item.due, item.completed
        measure.full_clean()
        measure.save()
        update = MeasureUpdate(
            measure=measure,
            entry=entry_for[item.recommendation.pk],
            status=item.status,
            effect=item.effect,
        )
        update.due, update.completed = item.due, item.completed
        update.full_clean()
        update.save()
    return response


def _correct_own_measures(items: list[MeasureInput], entries: dict) -> set[int]:
    """Write the corrections staff made to the measures this draft announced (none of
    them public yet: title, responsible and due date go onto the measure itself, no move
    recorded), and delete those taken out. Returns the removed measures' keys."""
    announced_here = {entry.pk for entry in entries.values()}
    removed = set()
    for item in items:
        if not item.is_own:
            continue
        measure = item.measure
        if measure.announced_in_id not in announced_here:
            raise ValidationError(_("Bara åtgärder som utkastet aviserar kan ändras här."))
        if item.remove:
            removed.add(measure.pk)
            measure.delete()
            continue
        corrected = (item.title, item.responsible, item.due)
        if (measure.title, measure.responsible, measure.due) != corrected:
            measure.title, measure.responsible, measure.due = corrected
            measure.full_clean()
            measure.save()
    return removed


class _Reports:
    """This response's measure updates and due-date changes, read once for the whole save
    (not two queries per measure)."""

    def __init__(self, response: Response):
        self.updates = {
            (update.measure_id, update.entry_id): update
            for update in MeasureUpdate.objects.filter(entry__response=response).order_by()
        }
        self.changes = {}
        for change in DueDateChange.objects.filter(entry__response=response).order_by(
            "measure", "changed_at", "pk"
        ):
            self.changes.setdefault((change.measure_id, change.entry_id), change)


def _update_measure(
    item: MeasureInput, entry: ResponseEntry, reports: _Reports, *, user, now
) -> None:
    """Record the draft's report on a measure on its MeasureUpdate, never on the Measure:
    the measure keeps its published state until the response is published.

    A moved due date is one DueDateChange of this entry (from the published date), kept
    in step with the draft as it is saved again; it shows only where the entry does.
    """
    measure = item.measure
    change = reports.changes.get((measure.pk, entry.pk))
    # A first due date for a measure that had none is not a move (publishing takes it from
    # the report); a changed one is, with its reason.
    if item.leading and measure.due is not None and item.due != measure.due:
        if not item.due_reason.strip():
            raise ValidationError({"due_reason": _("Ange varför slutdatumet ändras.")})
        change = change or DueDateChange(measure=measure, entry=entry)
        change.measure, change.entry = measure, entry
        change.reason, change.changed_at, change.changed_by = item.due_reason.strip(), now, user
        change.previous, change.new = measure.due, item.due
        change.full_clean()
        change.save()
    elif change is not None:
        change.delete()
    update = reports.updates.get((measure.pk, entry.pk))
    reported = (item.status, item.note, item.effect, item.due, item.completed)
    if update is None:
        update = MeasureUpdate(measure=measure, entry=entry)
    elif (update.status, update.note, update.effect, update.due, update.completed) == reported:
        return
    update.measure, update.entry = measure, entry  # loaded already: clean() and signals ask
    update.status, update.note, update.effect = item.status, item.note, item.effect
    update.due, update.completed = item.due, item.completed
    update.full_clean()
    update.save()


def _apply_measure_updates(response: Response, user) -> None:
    """Copy what the response reports about each measure onto the Measure rows, where it
    is the measure's latest public report.

    A shared measure reported in several entries is copied from its leading report.

    Only rows that change are written, so each measure's history gets one record per
    published change. The due date moves only where this response records a
    DueDateChange, the one record of a moved date and its reason; earlier answers that
    showed the date as it stood keep showing it (``keep_dates_shown_before_move``).

    A move takes effect when its answer is published: it is dated then, so a move an
    admin made while the draft was being written comes before it in
    ``DueDateChange.in_order``. A moved measure is due when its latest public move says
    (``latest_public_by_measure``, the rule every correction follows), even where an
    earlier round's answer, published late, leaves its status to a later answer.
    """
    moves = DueDateChange.objects.filter(entry__response=response)
    moves.update(changed_at=response.published_at or timezone.now())
    moved = DueDateChange.objects.latest_public_by_measure(moves.values("measure_id"))
    # With what Measure.clean() compares (its board's and its recommendation's
    # municipality), so that checking each changed measure costs no query of its own.
    updates = MeasureUpdate.objects.filter(entry__response=response).select_related(
        "measure__board",
        "measure__recommendation__audit",
        "entry__recommendation",
        "entry__response__round",
    )
    # A shared measure reported under several recommendations takes its state from one
    # report: the one under its main recommendation, else the first recommendation's.
    leading = {}
    for update in sorted(
        updates,
        key=lambda u: (
            u.entry.recommendation_id != u.measure.recommendation_id,
            u.entry.recommendation.position,
        ),
    ):
        leading.setdefault(update.measure_id, update)
    # The fields a report does not write were validated when they were saved.
    unchanged_fields = [
        field.name for field in Measure._meta.fields if field.name not in Measure.REPORTED_FIELDS
    ]
    # A paper answer of an earlier round published after a later one: a measure keeps
    # what its latest answer says (the one "latest", as corrections and deletions use).
    later = MeasureUpdate.objects.latest_public_by_measure(leading, besides_response=response)
    changed, before_move = [], {}
    for update in leading.values():
        measure = update.measure
        other = later.get(update.measure_id)
        is_latest_report = not (other and other._recency() > update._recency())
        if not is_latest_report and update.measure_id not in moved:
            continue
        if update.measure_id in moved:
            due = moved[update.measure_id].new
        else:  # unmoved; a measure without a due date takes the one its report names
            due = measure.due if measure.due is not None else update.due
        if due != measure.due:  # moved, or given its first
            before_move[measure.pk] = (measure.due, measure.due_inference)
        # Not the latest report: the measure keeps what the later answer says of it.
        reported = update if is_latest_report else measure
        if measure.take_report(
            status=reported.status, due=due, completed=reported.completed, effect=reported.effect
        ):
            measure.full_clean(exclude=unchanged_fields)
            changed.append(measure)
    if before_move:
        MeasureUpdate.objects.keep_dates_shown_before_move(before_move, moving=response)
    if changed:
        _write_published_measures(changed, user)
    # A move with no report of its measure beside it (an admin's or an import's record,
    # never the staff form's): the measure follows its latest move all the same.
    for measure_id in moved.keys() - leading.keys():
        measure_takes_its_latest_move(measure_id)


def _write_published_measures(measures: list[Measure], user) -> None:
    """Write the measures a publication changes in a fixed number of queries.

    Saving each one cost seven queries a measure (its foreign keys checked again, the row,
    its history, its shared recommendations read twice and recorded): a board reporting
    on fifty measures waited for 350 (measured: 121 queries for thirteen, 38 then). Bulk
    writes send no signals, so what the signals do is done here: the history (with the
    shared recommendations each version served, as django-simple-history records them on
    save) and the standings; the page cache is invalidated by the response's own save in
    the same transaction.
    """
    Measure.objects.bulk_update(measures, Measure.REPORTED_FIELDS)
    versions = Measure.history.bulk_history_create(measures, update=True, default_user=user)
    version_of = {version.id: version for version in versions}
    through = Measure.also_serves.through
    shared = list(through.objects.filter(measure__in=measures).order_by("pk"))
    # django-simple-history's record of a version's shared recommendations: a copy of
    # each through row, as it writes on save.
    shared_version = Measure.history.model.also_serves.model
    shared_version.objects.bulk_create(
        shared_version(
            history=version_of[row.measure_id],
            **{field.attname: getattr(row, field.attname) for field in through._meta.fields},
        )
        for row in shared
    )
    # Published with this response, so every one of them is on the public pages now.
    standings.changed(
        [measure.recommendation_id for measure in measures]
        + [row.recommendation_id for row in shared]
    )


def correct_measure_from_report(update: MeasureUpdate) -> None:
    """The measure takes a correction of its latest public report (``MeasureUpdate
    .corrects_its_measure``), as publishing took the report: its status, completion and
    effect; its due date moves only through a DueDateChange."""
    measure = update.measure
    changed = measure.take_report(
        status=update.status,
        due=measure.due,
        completed=update.reported_completed,
        effect=update.reported_effect,
    )
    if changed:
        measure.full_clean(
            exclude=[f.name for f in Measure._meta.fields if f.name not in Measure.REPORTED_FIELDS]
        )
        measure.save()


def measure_takes_its_latest_report(measure_id: int) -> None:
    """After its latest public report was deleted (an admin removing a report, an entry
    or a published response) or another became its latest (a round renumbered): the
    measure says what its latest public report says, as if that one had been corrected.
    With no public report left it keeps what it says: no answer states anything else."""
    latest = MeasureUpdate.objects.latest_public_of(measure_id)
    if latest is not None:
        correct_measure_from_report(latest)


def measure_takes_its_latest_move(measure_id: int, *, otherwise=None) -> None:
    """After an admin adds, corrects or deletes a public move of a measure's due date: the
    measure is due when its latest public move says, or, with none left, ``otherwise``
    (the measure's first date, which its first move had moved from). Adding or correcting
    a move keeps what earlier answers showed, as publishing a move does
    (``keep_dates_shown_before_move``); deleting one returns them to the date before it."""
    latest = DueDateChange.objects.latest_public_of(measure_id)
    due = latest.new if latest is not None else otherwise
    measure = Measure.objects.filter(pk=measure_id).first()
    if due is None or measure is None:
        return
    if latest is not None and due != measure.due:
        MeasureUpdate.objects.keep_dates_shown_before_move(
            {measure.pk: (measure.due, measure.due_inference)},
            moving=latest.entry_id and latest.entry.response,
        )
    changed = measure.take_report(
        status=measure.status, due=due, completed=measure.completed, effect=measure.effect
    )
    if changed:
        measure.full_clean(
            exclude=[f.name for f in Measure._meta.fields if f.name not in Measure.REPORTED_FIELDS]
        )
        measure.save()


def unanswered_recommendations(response: Response) -> list:
    """The recommendations the board answers on that have no saved answer in the response,
    in their order (the response may then be neither submitted nor published)."""
    return list(
        response.recommendations_to_answer()
        .exclude(pk__in=response.entries.values("recommendation_id"))
        .order_by("position")
    )


def lacks_answers(response: Response) -> bool:
    """Whether ``unanswered_recommendations`` names any."""
    return bool(unanswered_recommendations(response))


def _require_complete(response: Response, message: str) -> None:
    if lacks_answers(response):
        raise ValidationError(message)


def require_publishable(response: Response, decision_date: dt.date | None) -> None:
    """What publishing asks of a response, on the publish page and in the admin alike
    (ValidationError, keyed by the field at fault): an answer to every recommendation its
    board answers on, and no measure reported done after the day the board decided. (The
    publish page asks for the decision date; a paper response entered in the admin may
    be known without one.)"""
    if lacks_answers(response):
        raise ValidationError(
            {"state": _("Spara ett svar på varje rekommendation innan yttrandet publiceras.")}
        )
    if decision_date is not None:
        _require_done_by(response, decision_date)


def _require_done_by(response: Response, decision_date: dt.date) -> None:
    """A board cannot have decided on a measure done after the day it decided: a
    completion reported for a later period is a slip of the date, in one or the other."""
    late = (
        MeasureUpdate.objects.filter(entry__response=response, completed_date__gt=decision_date)
        .select_related("measure")
        .order_by("completed_date", "pk")
        .first()
    )
    if late is not None:
        raise ValidationError(
            {
                "decision_date": _(
                    "Åtgärden ”%(measure)s” rapporteras genomförd %(completed)s, efter "
                    "beslutsdatumet %(decided)s. Rätta datumet i utkastet eller beslutsdatumet."
                )
                % {
                    "measure": late.measure.title,
                    "completed": late.completed,
                    "decided": decision_date,
                }
            }
        )


@transaction.atomic
def submit_response(*, response: Response, expected_version: int, user) -> Response:
    """Hand a draft to the auditors before it is published: they can read it, staff can
    no longer edit it, and it can still be published once the board has decided."""
    if not response.is_editable:
        raise ValidationError(_("Bara utkast kan lämnas in."))
    _claim_version(response, expected_version)
    _require_complete(
        response, _("Spara ett svar på varje rekommendation innan yttrandet lämnas in.")
    )
    response.state = Response.State.SUBMITTED
    response.full_clean()
    response.save(update_fields=["state", "version"])
    return response


@transaction.atomic
def publish_response(
    *,
    response: Response,
    expected_version: int,
    user,
    decision_date: dt.date,
    diary_number: str,
) -> Response:
    """Publish a draft or submitted response: from now on the public sees it and staff
    can no longer change it."""
    if not response.is_publishable:
        raise ValidationError(_("Yttrandet är redan publicerat."))
    _claim_version(response, expected_version)
    require_publishable(response, decision_date)
    response.state = Response.State.PUBLISHED
    response.published_at = timezone.now()
    response.decision_date = decision_date
    response.diary_number = diary_number
    response.full_clean()
    _record_publication(
        response,
        user,
        update_fields=["state", "published_at", "decision_date", "diary_number", "version"],
    )
    return response


@transaction.atomic
def publish_in_admin(*, response: Response, user) -> Response:
    """Publish a response an admin has set to published in the admin (a paper response
    entered afterwards, a correction): as the publish page does, its reports are copied
    onto the measures and its followers are told. The admin's form has checked what
    publishing asks (``require_publishable``)."""
    response.published_at = response.published_at or timezone.now()
    _record_publication(response, user)
    return response


def _record_publication(response: Response, user, update_fields=None) -> None:
    """Save a response being published with what publishing changes besides it."""
    # The boards' standings follow in this transaction, refreshed once for the response
    # and every measure it reports on.
    with standings.batched():
        response.save(update_fields=update_fields)
        _apply_measure_updates(response, user)
    transaction.on_commit(
        lambda: signals.response_published.send(sender=Response, response=response)
    )


@transaction.atomic
def attach_decision_document(*, response: Response, upload) -> Response:
    """Store the signed PDF under MEDIA_ROOT, replacing an earlier one."""
    previous = response.decision_document.name if response.decision_document else ""
    response.decision_document.save(upload.name, upload, save=False)
    response.save(update_fields=["decision_document"])
    if previous and previous != response.decision_document.name:
        transaction.on_commit(lambda: response.decision_document.storage.delete(previous))
    return response

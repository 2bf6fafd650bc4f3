"""Each board's standing on each recommendation, and the recommendation's own status.

Derived truth kept on write, in one place. A page never recomputes a status from the
entries: it reads ``BoardStanding`` rows and ``Recommendation.current_status``, which
``refresh()`` keeps in step inside the transaction of every write that changes them.

What a standing holds, for a recommendation and a board that must answer it (addressed
to it, answering it, or having published an answer to it):

* the board's own current status: its status in its latest *published* entry (latest
  round, then latest decision date, then the latest entry), or none while it has not
  answered;
* the round and date that status comes from;
* the auditors' latest assessment of the recommendation and whether it differs from
  the board's status;
* the board's open measures serving the recommendation (its own and shared ones) that
  everybody may see, and the earliest end of their due periods, so "has overdue
  measures" is a plain indexed comparison with today.

The recommendation's own status is the **least advanced** status among its boards that
have answered (``Status.progress``; among equally advanced ones the first in the
vocabulary's order), shown with "n of m boards answered". A recommendation is only as
far along as its slowest board, and the count keeps the boards that have not answered
in view instead of hiding them behind another board's answer.

Who calls ``refresh()``: the signal receivers in ``responses/signals.py`` (publishing,
an admin correction, an assessment, closing, changed addressees or shared measures),
the importer and the synthetic-data generator (which write in bulk, without signals).
``manage.py rebuild_standings`` rebuilds everything from scratch.
"""

import contextlib
import threading
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from recommendations.dates import FuzzyDate, Precision
from recommendations.models import AuditorAssessment, Recommendation
from recommendations.status import Status

from .models import BoardStanding, Measure, ResponseEntry

# Recommendations handled per round trip when everything is rebuilt: bounded memory
# and short IN lists at national scale.
CHUNK_SIZE = 2000

_STANDING_FIELDS = [
    "status",
    "status_rank",
    "entry_id",
    "round_id",
    "answered_date",
    "answered_precision",
    "is_addressed",
    "assessment_status",
    "disagrees",
    "next_due_date",
    "next_due_precision",
    "next_due_end",
    "open_measures",
    "is_open",
]
_RECOMMENDATION_FIELDS = [
    "current_status",
    "current_status_rank",
    "boards_answered",
    "boards_required",
]

_batch = threading.local()


@contextlib.contextmanager
def batched():
    """Collect the refreshes asked for inside the block and run them once at its end.

    For actions that save many rows (publishing a response copies every measure
    update): one refresh instead of one per save. Still inside the caller's
    transaction, so the standings commit or roll back with the write.
    """
    if getattr(_batch, "pending", None) is not None:
        yield  # Already batching: the outermost block refreshes.
        return
    _batch.pending = set()
    try:
        yield
        pending = _batch.pending
    finally:
        _batch.pending = None
    if pending:
        refresh(pending)


def changed(recommendation_ids: Iterable[int]) -> None:
    """The standings of these recommendations may have changed: refresh them now, or at
    the end of the enclosing ``batched()`` block."""
    ids = {pk for pk in recommendation_ids if pk is not None}
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        pending.update(ids)
    else:
        refresh(ids)


def rebuild() -> int:
    """Recompute every standing and every recommendation's status. Returns the number of
    recommendations. (Standings of deleted recommendations went with them: CASCADE.)"""
    ids = list(Recommendation.objects.order_by("pk").values_list("pk", flat=True))
    refresh(ids)
    return len(ids)


@transaction.atomic
def refresh(recommendation_ids: Iterable[int]) -> None:
    """Bring the standings and the status of these recommendations in step with the data.

    Per chunk of recommendations, queries: recommendations, addressees, answering boards,
    published entries, latest assessments, open measures, their shared recommendations,
    existing standings, then the writes (only rows that differ are written).
    """
    ids = sorted({pk for pk in recommendation_ids if pk is not None})
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        wanted = _compute(chunk)
        _write_standings(chunk, wanted)
        _write_recommendations(chunk, wanted)


def _compute(ids: list[int]) -> dict[tuple[int, int], dict]:
    """{(recommendation id, board id): field values} for every standing these need."""
    closed = dict(Recommendation.objects.filter(pk__in=ids).values_list("pk", "closed_on"))
    addressed = set(
        Recommendation.addressed_to.through.objects.filter(recommendation_id__in=ids).values_list(
            "recommendation_id", "board_id"
        )
    )
    answering = set(
        Recommendation.answered_by.through.objects.filter(recommendation_id__in=ids).values_list(
            "recommendation_id", "board_id"
        )
    )
    latest_entry = {}
    entries = (
        ResponseEntry.objects.published()
        .filter(recommendation_id__in=ids)
        .order_by(
            "response__round__sequence",
            F("response__decision_date").asc(nulls_first=True),
            "pk",
        )
        .values_list(
            "pk",
            "recommendation_id",
            "response__board_id",
            "status",
            "response__round_id",
            "response__decision_date",
            "response__document_date",
            "response__document_precision",
        )
    )
    for row in entries:  # in order: the last one per board wins
        latest_entry[(row[1], row[2])] = row
    latest_assessment = dict(
        AuditorAssessment.objects.filter(recommendation_id__in=ids)
        .order_by("round__sequence", "pk")
        .values_list("recommendation_id", "status")
    )
    due_by_pair = _open_measures(ids)

    wanted = {}
    for pair in addressed | answering | set(latest_entry) | set(due_by_pair):
        recommendation_id = pair[0]
        if recommendation_id not in closed:
            continue
        entry = latest_entry.get(pair)
        status = Status(entry[3]) if entry else None
        answered = None
        if entry:
            answered = (entry[5], "day") if entry[5] else (entry[6], entry[7])
        assessed = latest_assessment.get(recommendation_id, "")
        open_count, next_due = due_by_pair.get(pair, (0, None))
        wanted[pair] = {
            "status": status.value if status else "",
            "status_rank": status.rank if status else len(Status),
            "entry_id": entry[0] if entry else None,
            "round_id": entry[4] if entry else None,
            "answered_date": answered[0] if answered else None,
            "answered_precision": answered[1] if answered and answered[0] else Precision.DAY,
            "is_addressed": pair in addressed,
            "assessment_status": assessed,
            "disagrees": bool(status and assessed and assessed != status.value),
            "next_due_date": next_due.start if next_due else None,
            "next_due_precision": next_due.precision.value if next_due else Precision.DAY,
            "next_due_end": next_due.end if next_due else None,
            "open_measures": open_count,
            "is_open": closed[recommendation_id] is None,
        }
    return wanted


def _open_measures(ids: list[int]) -> dict[tuple[int, int], tuple[int, FuzzyDate | None]]:
    """{(recommendation id, board id): (open public measures, earliest-ending due date)}.

    A shared measure counts under every recommendation it serves."""
    measures = list(
        Measure.objects.public()
        .exclude(status__in=Status.settled_values())
        .filter(pk__in=Measure.objects.serving(ids).values("pk"))
        .values_list("pk", "recommendation_id", "board_id", "due_date", "due_precision")
    )
    served = defaultdict(set)
    for measure_id, recommendation_id, _board, _date, _precision in measures:
        served[measure_id].add(recommendation_id)
    shared = Measure.also_serves.through.objects.filter(
        measure_id__in=list(served), recommendation_id__in=ids
    ).values_list("measure_id", "recommendation_id")
    for measure_id, recommendation_id in shared:
        served[measure_id].add(recommendation_id)
    result = {}
    wanted = set(ids)
    for measure_id, _main, board_id, due_date, due_precision in measures:
        due = FuzzyDate(due_date, due_precision) if due_date else None
        for recommendation_id in served[measure_id] & wanted:
            pair = (recommendation_id, board_id)
            count, earliest = result.get(pair, (0, None))
            if due and (earliest is None or due.end < earliest.end):
                earliest = due
            result[pair] = (count + 1, earliest)
    return result


def _write_standings(ids: list[int], wanted: dict) -> None:
    existing = {
        (standing.recommendation_id, standing.board_id): standing
        for standing in BoardStanding.objects.filter(recommendation_id__in=ids)
    }
    to_update, to_create = [], []
    for pair, values in wanted.items():
        standing = existing.pop(pair, None)
        if standing is None:
            to_create.append(BoardStanding(recommendation_id=pair[0], board_id=pair[1], **values))
        elif any(getattr(standing, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(standing, name, value)
            to_update.append(standing)
    if existing:
        BoardStanding.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
    if to_update:
        BoardStanding.objects.bulk_update(to_update, _STANDING_FIELDS, batch_size=CHUNK_SIZE)
    if to_create:
        BoardStanding.objects.bulk_create(to_create, batch_size=CHUNK_SIZE)


def derived_status(statuses: Iterable[Status]) -> Status | None:
    """The recommendation's own status from its answered boards' statuses: the least
    advanced one (see the module's docstring)."""
    return min(statuses, key=lambda status: (status.progress, status.rank), default=None)


def _write_recommendations(ids: list[int], wanted: dict) -> None:
    statuses = defaultdict(list)
    required = defaultdict(int)
    for (recommendation_id, _board), values in wanted.items():
        required[recommendation_id] += 1
        if values["status"]:
            statuses[recommendation_id].append(Status(values["status"]))
    changed_rows = []
    for recommendation in Recommendation.objects.filter(pk__in=ids).only(
        "pk", *_RECOMMENDATION_FIELDS
    ):
        status = derived_status(statuses[recommendation.pk])
        values = {
            "current_status": status.value if status else "",
            "current_status_rank": status.rank if status else len(Status),
            "boards_answered": len(statuses[recommendation.pk]),
            "boards_required": required[recommendation.pk],
        }
        if any(getattr(recommendation, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(recommendation, name, value)
            changed_rows.append(recommendation)
    if changed_rows:
        Recommendation.objects.bulk_update(
            changed_rows, _RECOMMENDATION_FIELDS, batch_size=CHUNK_SIZE
        )

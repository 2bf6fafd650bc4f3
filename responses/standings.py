"""Each board's standing on each recommendation, and the recommendation's own status.

Derived truth kept on write, in one place. A page never recomputes a status from the
entries: it reads ``BoardStanding`` rows and ``Recommendation.current_status``, which
``refresh()`` keeps in step inside the transaction of every write that changes them.

What a standing holds, for a recommendation and a board concerned by it (addressed to
it, named to answer it, or having published an answer to it):

* whether the board must answer it (``must_answer``): the boards named to answer it, or
  where none is named its addressees (``recommendations.models.answering_pairs``). "n of
  m boards answered" counts these, and any other board that has answered;
* the board's own current status: its status in its latest *published* entry (latest
  round, then latest decision date, then the latest entry), or none while it has not
  answered;
* the round and date that status comes from;
* the auditors' latest assessment of the recommendation and whether it differs from
  the board's status;
* the board's open measures serving the recommendation (its own and shared ones), by
  the one rule of an open measure (``MeasureQuerySet.open``, ``Measure.is_open`` under
  the recommendation): public, not settled, and the recommendation open, so a closed
  one has none; and the earliest end of their due periods, so "has overdue measures" is
  a plain indexed comparison with today;
* for the council report's "acted on within one, two, three years": the audit year it
  counts under (``report_cohort``; none where it does not count among the
  recommendation's boards, ``counts_for_recommendation``), the day its audit is counted
  from, the day the outcome's source (the auditors where they assessed it, else the
  board) first reported it settled, and within how many whole years of the audit that was.

Each municipality's numbers of audits, recommendations and implemented recommendations
(``Municipality.audit_count`` and the others) are counted again here too
(``refresh_municipality_counts``), for the municipalities a refresh touched.

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
import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from auditfollowup import page_cache
from auditfollowup.lib.dates import FuzzyDate, Precision, whole_years_until
from recommendations.models import (
    Audit,
    AuditorAssessment,
    Municipality,
    Recommendation,
    answering_pairs,
    audit_counted_from,
    report_cohort,
)
from recommendations.status import Status

from .models import (
    BoardStanding,
    DueDateChange,
    Measure,
    MeasureUpdate,
    Response,
    ResponseEntry,
    counts_for_recommendation,
)

# Recommendations handled per round trip when everything is rebuilt: bounded memory
# and short IN lists at national scale.
CHUNK_SIZE = 2000
# Rows per UPDATE when many change: bulk_update writes one CASE WHEN per field over the
# batch's ids, which PostgreSQL evaluates row by row, so its cost grows with the square
# of the batch (2,000 standings took 11 s a statement at national scale; 200, 0.1 s).
UPDATE_BATCH_SIZE = 200

_STANDING_FIELDS = [
    "status",
    "status_rank",
    "entry_id",
    "round_id",
    "answered_date",
    "answered_precision",
    "is_addressed",
    "is_answering",
    "must_answer",
    "assessment_status",
    "disagrees",
    "next_due_date",
    "next_due_precision",
    "next_due_end",
    "open_measures",
    "is_open",
    "cohort",
    "counted_from",
    "settled_on",
    "settled_within_years",
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
    recommendations. (Standings of deleted recommendations went with them: CASCADE.)
    Its writes are bulk writes, which send no signals: it makes the cached public pages
    stale itself (``manage.py rebuild_standings``, after ``migrate``)."""
    ids = list(Recommendation.objects.order_by("pk").values_list("pk", flat=True))
    refresh(ids)
    refresh_municipality_counts(Municipality.objects.values("pk"))
    page_cache.invalidate()
    return len(ids)


@transaction.atomic
def refresh(recommendation_ids: Iterable[int]) -> None:
    """Bring the standings and the status of these recommendations in step with the data.

    Per chunk of recommendations, queries: recommendations, addressees, answering boards,
    published entries, latest assessments, open measures, their shared recommendations,
    existing standings, then the writes (only rows that differ are written), then their
    municipalities; at the end one UPDATE of those municipalities' counts.
    """
    ids = sorted({pk for pk in recommendation_ids if pk is not None})
    municipalities = set()
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        wanted = _compute(chunk)
        _write_standings(chunk, wanted)
        _write_recommendations(chunk, wanted)
        municipalities.update(
            Audit.objects.filter(recommendations__pk__in=chunk).values_list(
                "municipality_id", flat=True
            )
        )
    if municipalities:
        refresh_municipality_counts(municipalities)


def refresh_municipality_counts(municipality_ids) -> None:
    """Count again the audits, recommendations and implemented recommendations of these
    municipalities (ids, or a query of them): ``Municipality.audit_count`` and the
    others, which the national page lists. One UPDATE; ``refresh()`` calls it for the
    municipalities of what it refreshed, the receivers when audits or recommendations
    are deleted or move, ``rebuild()`` for every municipality."""

    def counted(queryset, path, **only):
        return Coalesce(
            Subquery(
                queryset.filter(**{path: OuterRef("pk")}, **only)
                .order_by()
                .values(path)
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )

    Municipality.objects.filter(pk__in=municipality_ids).update(
        audit_count=counted(Audit.objects, "municipality"),
        recommendation_count=counted(Recommendation.objects, "audit__municipality"),
        implemented_count=counted(
            Recommendation.objects,
            "audit__municipality",
            current_status_rank=Status.IMPLEMENTED.rank,
        ),
    )


def standings_as_of(recommendation_ids: Iterable[int], as_of: dt.date) -> dict[tuple, dict]:
    """Each board's standing on these recommendations as it was known on ``as_of``.

    The same derivation as the stored standings, restricted to what was published by
    then: entries of responses whose whole date (decision date, else document date)
    lies on or before the day, assessments made on or before it, measures announced by
    then with their status and due date as reported then. As of today it equals the
    stored ``BoardStanding`` rows (``tests/test_council_report.py`` checks it).
    Returns {(recommendation id, board id): field values}, the fields of a standing.
    """
    ids = sorted({pk for pk in recommendation_ids if pk is not None})
    wanted = {}
    for start in range(0, len(ids), CHUNK_SIZE):
        wanted.update(_compute(ids[start : start + CHUNK_SIZE], as_of=as_of))
    return wanted


def is_open_on(closed_on: dt.date | None, as_of: dt.date | None) -> bool:
    """Whether a recommendation closed on ``closed_on`` (None: not closed) was still open
    as known on ``as_of`` (None: now)."""
    return closed_on is None or (as_of is not None and closed_on > as_of)


def assessed_by(assessed_on: dt.date, as_of: dt.date | None) -> bool:
    """Whether the auditors' assessment made on ``assessed_on`` was known on ``as_of``
    (None: now): from the day it was made. The standings as of a day and the matrix's
    cells as of a day both ask it."""
    return as_of is None or assessed_on <= as_of


def known_on(date: FuzzyDate | None, as_of: dt.date | None, published_at=None) -> bool:
    """Whether a response dated ``date`` (published in Uppföljning at ``published_at``,
    None when imported) was known on ``as_of`` (None: now).

    Once it was published here, or once its whole date lies on or before the day, as in
    the matrix: "hösten 2020" is not yet known on 2020-09-01. Today is the exception:
    whatever is published now is known now, even if its period ("2026") runs on.
    ``ResponseQuerySet.known_on`` is the same rule in SQL.
    """
    if as_of is None:
        return True
    if published_at is not None and timezone.localtime(published_at).date() <= as_of:
        return True
    return date is not None and date.is_known_on(as_of)


_RESPONSE_DATES = ("decision_date", "document_date", "document_precision", "published_at")


def response_known(row, as_of) -> bool:
    """``known_on`` for a row ending with a response's ``_RESPONSE_DATES``."""
    *date, published_at = row[-4:]
    return known_on(Response.date_of(*date), as_of, published_at)


def _compute(ids: list[int], as_of: dt.date | None = None) -> dict[tuple[int, int], dict]:
    """{(recommendation id, board id): field values} for every standing these need:
    as of now (``as_of`` None: every published answer, the stored standings), or as
    known on ``as_of`` (see ``standings_as_of``)."""
    closed, counted_from, cohort = {}, {}, {}
    for pk, closed_on, kind, audit_kind, *audit_dates in Recommendation.objects.filter(
        pk__in=ids
    ).values_list(
        "pk",
        "closed_on",
        "kind",
        "audit__kind",
        "audit__conducted_from_date",
        "audit__conducted_from_precision",
        "audit__conducted_to_date",
        "audit__conducted_to_precision",
    ):
        closed[pk] = closed_on
        counted_from[pk] = audit_counted_from(*audit_dates)
        cohort[pk] = report_cohort(kind, audit_kind, audit_dates[0])
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
    first_settled_entry = {}  # (recommendation, board): the day it first answered settled
    settled = set(Status.settled_values())
    entries = (
        ResponseEntry.objects.published()
        .filter(recommendation_id__in=ids)
        .order_by(*Response.recency_order("response__"), "pk")
        .values_list(
            "pk",
            "recommendation_id",
            "response__board_id",
            "status",
            "response__round_id",
            "response__decision_date",
            "response__document_date",
            "response__document_precision",
            "response__published_at",
        )
    )
    for row in entries:  # in order: the last one per board wins
        if response_known(row, as_of):
            pair = (row[1], row[2])
            latest_entry[pair] = row
            # A settled answer counts from the end of its date: "hösten 2020" from the
            # end of 2020.
            answered = Response.date_of(*row[5:8]) if row[3] in settled else None
            answered_on = answered.end if answered else None
            if answered_on and (
                pair not in first_settled_entry or answered_on < first_settled_entry[pair]
            ):
                first_settled_entry[pair] = answered_on
    latest_assessment = {}
    first_settled_assessment = {}  # recommendation: the day the auditors first said settled
    for recommendation_id, status, assessed_on in (
        AuditorAssessment.objects.filter(recommendation_id__in=ids)
        .order_by("round__sequence", "pk")
        .values_list("recommendation_id", "status", "assessed_on")
    ):
        if not assessed_by(assessed_on, as_of):
            continue
        latest_assessment[recommendation_id] = status
        if status in settled and (
            recommendation_id not in first_settled_assessment
            or assessed_on < first_settled_assessment[recommendation_id]
        ):
            first_settled_assessment[recommendation_id] = assessed_on
    due_by_pair = _open_measures(ids, as_of)

    must_answer = answering_pairs(answering, addressed)
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
        closed_on = closed[recommendation_id]
        # The outcome's source decides when it was settled: the auditors where they have
        # assessed it, else the board's own answers.
        if assessed:
            settled_on = first_settled_assessment.get(recommendation_id)
        else:
            settled_on = first_settled_entry.get(pair)
        start = counted_from[recommendation_id]
        # The report counts only the standings that count among the recommendation's
        # boards: an addressee that leaves the answer to another board is no year's.
        counts = counts_for_recommendation(pair in must_answer, status.value if status else "")
        wanted[pair] = {
            "status": status.value if status else "",
            "status_rank": status.rank if status else len(Status),
            "entry_id": entry[0] if entry else None,
            "round_id": entry[4] if entry else None,
            "answered_date": answered[0] if answered else None,
            "answered_precision": answered[1] if answered and answered[0] else Precision.DAY,
            "is_addressed": pair in addressed,
            "is_answering": pair in answering,
            "must_answer": pair in must_answer,
            "assessment_status": assessed,
            "disagrees": AuditorAssessment.disagrees(status, assessed),
            "next_due_date": next_due.start if next_due else None,
            "next_due_precision": next_due.precision.value if next_due else Precision.DAY,
            "next_due_end": next_due.end if next_due else None,
            "open_measures": open_count,
            "is_open": is_open_on(closed_on, as_of),
            "cohort": cohort[recommendation_id] if counts else None,
            "counted_from": start,
            "settled_on": settled_on,
            "settled_within_years": (
                whole_years_until(start, settled_on) if start and settled_on else None
            ),
        }
    return wanted


@dataclass(frozen=True)
class KnownMeasure:
    """A public measure as it stood on a day: its board, the recommendations it serves,
    its status and due date as reported then. Its ``is_followed_up``, ``is_open`` and
    ``is_overdue`` are ``Measure``'s rules of the same names as of the day (every known
    measure is public, so open is followed up)."""

    pk: int
    board_id: int
    recommendation_id: int  # its main recommendation
    serves: frozenset  # the recommendations asked about it serves, the main one included
    status: Status
    due: FuzzyDate | None
    # Whether any recommendation it serves was open that day, those not asked about too
    # (``MeasureQuerySet.followed_up``'s rule, as of the day).
    serves_an_open_recommendation: bool = True
    # Those of ``serves`` that were open that day: under which it is open
    # (``is_open(under=...)``, ``Measure.is_open``'s ``under``).
    serves_open: frozenset = frozenset()

    @property
    def is_unsettled(self) -> bool:
        """Its status that day is not a settled one (half of being followed up)."""
        return not self.status.is_settled

    @property
    def is_followed_up(self) -> bool:
        """Still followed up that day (``Measure.is_followed_up``): not settled, and
        serving an open recommendation."""
        return self.is_unsettled and self.serves_an_open_recommendation

    def is_open(self, under: int | None = None) -> bool:
        """``Measure.is_open``'s rule as of the day: followed up (it is public). ``under``:
        the id of a recommendation it serves, among those asked about, that it is counted
        under, as on that recommendation's page: open there while that one is open."""
        if under is not None:
            return self.is_unsettled and under in self.serves_open
        return self.is_followed_up

    def is_overdue(self, day: dt.date) -> bool:
        """``Measure.is_overdue``'s rule as of the day: followed up then, and its whole
        due period ended before ``day``."""
        return self.is_followed_up and self.due is not None and self.due.is_past(day)


def known_measures(ids: Iterable[int], as_of: dt.date | None = None) -> list[KnownMeasure]:
    """The public measures serving these recommendations, as they stand now (``as_of``
    None: the measures' own rows), or as known on ``as_of``.

    On a past day a measure counts once the response announcing it was known (an
    imported measure without one: once a report on it was known; with no report at all,
    from today); its status is the
    one in its latest report known then, and its due date is rolled back over the moves
    made after the day. Queries: 2 now, 4 on a past day.
    """
    ids = list(ids)
    wanted = set(ids)
    rows = list(
        Measure.objects.public()
        .filter(pk__in=Measure.objects.serving(ids).values("pk"))
        .values_list(
            "pk",
            "recommendation_id",
            "board_id",
            "status",
            "due_date",
            "due_precision",
            "announced_in_id",
            "recommendation__closed_on",
            # Last: what ``response_known`` reads.
            *(f"announced_in__response__{name}" for name in _RESPONSE_DATES),
        )
    )
    serves = defaultdict(set)
    serves_open = defaultdict(bool)
    open_served = defaultdict(set)  # the recommendations asked about open that day
    for row in rows:
        serves[row[0]].add(row[1])
        if is_open_on(row[7], as_of):
            serves_open[row[0]] = True
            open_served[row[0]].add(row[1])
    # Every recommendation a measure also serves, not only those asked about: one open
    # elsewhere (another remark) keeps it followed up.
    shared = Measure.also_serves.through.objects.filter(measure_id__in=list(serves)).values_list(
        "measure_id", "recommendation_id", "recommendation__closed_on"
    )
    for measure_id, recommendation_id, closed_on in shared:
        is_open = is_open_on(closed_on, as_of)
        if recommendation_id in wanted:
            serves[measure_id].add(recommendation_id)
            if is_open:
                open_served[measure_id].add(recommendation_id)
        serves_open[measure_id] |= is_open
    reports, moves = _reports_and_moves(list(serves), as_of) if as_of is not None else ({}, {})
    result = []
    for row in rows:
        pk, main, board_id, status, due_date, due_precision, announced_in = row[:7]
        due = FuzzyDate(due_date, due_precision) if due_date else None
        status = Status(status)
        if as_of is not None:
            measure_reports = reports.get(pk, [])
            known_reports = [r for r in measure_reports if r[0]]
            if announced_in is not None:
                if not response_known(row, as_of):
                    continue
            elif not known_reports and as_of < timezone.localdate():
                # Imported, and no report of it known by the day: nothing dates it, so it
                # is known only as of today, as whatever is stored now is (``known_on``),
                # where the stored standings count it.
                continue
            if len(known_reports) < len(measure_reports):
                # Later reports exist: the status is the latest one known then (a
                # measure announced without a report of its own counts as planned).
                status = Status(known_reports[-1][1]) if known_reports else Status.PLANNED
            measure_moves = moves.get(pk, [])
            if not all(known for known, _move in measure_moves):
                # The latest move known that day (in the order the due date comes from)
                # gave the date; none known yet: the date the first move moved from.
                known_moves = [move for known, move in measure_moves if known]
                due = known_moves[-1].new if known_moves else measure_moves[0][1].previous
        result.append(
            KnownMeasure(
                pk,
                board_id,
                main,
                frozenset(serves[pk]),
                status,
                due,
                serves_open[pk],
                frozenset(open_served[pk]),
            )
        )
    return result


def _reports_and_moves(measure_ids: list[int], as_of: dt.date):
    """Per measure: its public reports [(known on ``as_of``, status)] in round order, and
    its public due-date moves [(known on ``as_of``, move)] in ``DueDateChange.in_order``,
    the order its due date comes from."""
    public = AnonymousUser()
    reports = defaultdict(list)
    updates = (
        MeasureUpdate.objects.visible_to(public)
        .filter(measure_id__in=measure_ids)
        .order_by(*Response.recency_order("entry__response__"), "pk")
        .values_list(
            "measure_id", "status", *(f"entry__response__{name}" for name in _RESPONSE_DATES)
        )
    )
    for row in updates:
        reports[row[0]].append((response_known(row, as_of), row[1]))
    by_measure = defaultdict(list)
    for move in (
        DueDateChange.objects.visible_to(public)
        .filter(measure_id__in=measure_ids)
        .select_related("entry__response__round")
    ):
        by_measure[move.measure_id].append(move)
    moves = {}
    for measure_id, measure_moves in by_measure.items():
        moves[measure_id] = [
            (_move_known(move, as_of), move) for move in DueDateChange.in_order(measure_moves)
        ]
    return reports, moves


def _move_known(move, as_of: dt.date) -> bool:
    """A move reported in a response is known with that response; one made in the
    application from the moment it was made."""
    if move.entry_id is None:
        return timezone.localtime(move.changed_at).date() <= as_of
    response = move.entry.response
    return known_on(response.date, as_of, response.published_at)


def _open_measures(
    ids: list[int], as_of: dt.date | None = None
) -> dict[tuple[int, int], tuple[int, FuzzyDate | None]]:
    """{(recommendation id, board id): (open measures, earliest-ending due date)}.

    Open by ``MeasureQuerySet.open``'s rule, as on the recommendation's own page
    (``Measure.is_open(under=recommendation)``): public, not settled, and the
    recommendation it is counted under open (as of the day). A closed recommendation
    has none, and no due date; a shared measure counts under every open one it serves.
    A board with a measure not settled under a closed one keeps its standing there, with
    none open, as it had while the recommendation was open."""
    result = {}
    wanted = set(ids)
    for measure in known_measures(ids, as_of):
        if not measure.is_unsettled:
            continue
        due = measure.due
        for recommendation_id in measure.serves & wanted:
            pair = (recommendation_id, measure.board_id)
            count, earliest = result.get(pair, (0, None))
            if not measure.is_open(under=recommendation_id):
                result[pair] = (count, earliest)
                continue
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
    changed_fields = set()  # only these are written: each costs a CASE over the batch
    for pair, values in wanted.items():
        standing = existing.pop(pair, None)
        if standing is None:
            to_create.append(BoardStanding(recommendation_id=pair[0], board_id=pair[1], **values))
            continue
        differing = [name for name, value in values.items() if getattr(standing, name) != value]
        if differing:
            for name in differing:
                setattr(standing, name, values[name])
            changed_fields.update(differing)
            to_update.append(standing)
    if existing:
        BoardStanding.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
    if to_update:
        BoardStanding.objects.bulk_update(
            to_update,
            [name for name in _STANDING_FIELDS if name in changed_fields],
            batch_size=UPDATE_BATCH_SIZE,
        )
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
        if counts_for_recommendation(values["must_answer"], values["status"]):
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
            changed_rows, _RECOMMENDATION_FIELDS, batch_size=UPDATE_BATCH_SIZE
        )

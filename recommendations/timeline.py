"""A recommendation's status timeline across the follow-up rounds, and the auditors' matrix.

The rules live here, not in views or templates:

* Only responses the user may read count (``Response.objects.visible_to``); measures
  announced in a response the user may not read are hidden with it, and so are due
  dates moved in it. What a draft reports about an existing measure lives on its
  MeasureUpdate until publishing copies it onto the measure, so the measure itself
  always shows its published state.
* Entries are compared with the same board's previous entry: the status change
  (forward/backward by ``Status.progress``) and a word diff of the narrative.
* An answer *repeats* the previous one when the two narratives are at least
  ``REPEAT_THRESHOLD`` similar (difflib's ratio over words: 2·matches / total words).
  0.9 means that at most about one word in ten was changed, added or removed: a board
  that copies last year's text and edits a date or two is flagged, a rewritten
  paragraph is not.
* A recommendation's measures are its own and the shared ones it is also served by
  (``Measure.also_serves``), each marked with the other recommendations it serves;
  a shared measure is one row, so counts of measures never count it twice.
* A measure is open when it is public and followed up (``Measure.is_open``), overdue
  when open and its whole due period has ended (``Measure.is_overdue``): "maj 2026" is
  not overdue until June, and a measure of an answer not yet published is a proposal
  (``Measure.is_proposal``), shown marked as one with its due date but open and overdue
  for nobody.
* The board and the auditors disagree when the auditors' assessment in a round has a
  different status from the board's own status in that round
  (``AuditorAssessment.disagrees``, the rule the standings keep for the latest of each).

``timeline_recommendations()`` reads everything ``build_timeline()`` reads, so a page or
an export of any number of recommendations costs the same number of queries.
"""

import datetime as dt
import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice

from django.db.models import F
from django.utils import timezone

from auditfollowup.lib.dates import FuzzyDate, FuzzyDateDescriptor
from responses.models import (
    BoardStanding,
    DueDateChange,
    Measure,
    MeasureUpdate,
    Response,
    ResponseEntry,
    counts_for_recommendation,
)
from responses.standings import assessed_by, is_open_on, known_on

from .models import (
    AuditorAssessment,
    Board,
    FollowUpRound,
    Recommendation,
    audit_counted_from,
)
from .status import Status

REPEAT_THRESHOLD = 0.9
# The follow-up the product covers starts with the 2019 round (the seeds' first answers).
FIRST_YEAR = 2019


def matrix_years(today: dt.date | None = None) -> range:
    """The years the matrix, its export, the chart per year and the list's year filter
    show: from 2019 through the current year (or ``today``'s), so a new year gets its
    column on New Year's Day, without a release."""
    return range(FIRST_YEAR, (today or timezone.localdate()).year + 1)


def _in_chunks(queryset, chunk_size: int | None):
    """The rows of ``queryset`` as lists: all in one (a page), or ``chunk_size`` at a time
    from one server-side cursor (an export, whose memory stays bounded)."""
    if chunk_size is None:
        return [list(queryset)]
    rows = queryset.iterator(chunk_size=chunk_size)
    return iter(lambda: list(islice(rows, chunk_size)), [])


def timeline_recommendations(queryset, user, *, chunk_size: int | None = None):
    """The recommendations of ``queryset``, each with everything its timeline shows
    (``read_timelines``), ready for ``build_timeline``. Queries: the recommendations
    (+audit, municipality) and ``read_timelines``'s, per chunk of ``chunk_size``
    recommendations when it is given (the exports: their memory stays bounded), else for
    all at once."""
    recommendations = queryset.select_related("audit__municipality")
    for chunk in _in_chunks(recommendations, chunk_size):
        read_timelines(chunk, user)
        yield from chunk


def read_timelines(recommendations, user) -> None:
    """Read everything the timelines of ``recommendations`` show, as ``user`` may see it.
    The recommendations are read with their audit and its municipality
    (``timeline_recommendations``).

    Queries: the audits' rounds, assessments, visible entries (+response, board), their
    measure updates, the boards' standings (+board), visible measures (+board), their due
    date changes, the other recommendations they also serve, visible shared measures
    (+board, main recommendation), their due date changes: 10, fewer where a level has
    nothing to read for (no entries, measures or shared measures). ``build_timeline``
    gives the assessments, answers and standings their rounds from the audit's, their
    boards its municipality, and the measure updates their measures from those read for
    the recommendation. The boards it is addressed to and those that answer it are read
    from the standings (``is_addressed``, ``is_answering``), which hold a row for each of
    them.

    Each level fills a list of its own (``_attach``) that only ``build_timeline`` reads.
    These were ``prefetch_related`` lookups, the same queries: their bookkeeping (each
    level's filter built from model instances, each row matched to its object through
    Django's general machinery) took a sixth of the JSON API's Python calls. In a related
    manager's cache, Django would even build a filtered queryset per object to hold each
    result, though it never runs them.
    """
    if not recommendations:
        return
    ids = [rec.pk for rec in recommendations]
    _attach(
        [rec.audit for rec in recommendations],
        FollowUpRound.objects.filter(audit__in=[rec.audit_id for rec in recommendations]).order_by(
            "sequence"
        ),
        "timeline_rounds",
        key="audit_id",
        cache=FollowUpRound.audit.field,
    )
    _attach(
        recommendations,
        AuditorAssessment.objects.filter(recommendation__in=ids).order_by("round__sequence"),
        "timeline_assessments",
        key="recommendation_id",
        cache=AuditorAssessment.recommendation.field,
    )
    visible_measures = Measure.objects.visible_to(user)
    _attach(
        recommendations,
        ResponseEntry.objects.visible_to(user)
        .filter(recommendation__in=ids)
        .select_related("response__board")
        .order_by(*Response.recency_order("response__"), "pk"),
        "visible_entries",
        key="recommendation_id",
        cache=ResponseEntry.recommendation.field,
    )
    entries = [entry for rec in recommendations for entry in rec.visible_entries]
    if entries:
        _attach(
            entries,
            MeasureUpdate.objects.visible_to(user, visible_measures=visible_measures)
            .filter(entry__in=[entry.pk for entry in entries])
            .order_by("measure__due_date", "measure__pk"),
            "timeline_measure_updates",
            key="entry_id",
            cache=MeasureUpdate.entry.field,
        )
    _attach(
        recommendations,
        BoardStanding.objects.filter(recommendation__in=ids)
        .select_related("board")
        .in_display_order(),
        "board_standings",
        key="recommendation_id",
        cache=BoardStanding.recommendation.field,
    )
    # Read with whether each is public: a measure of an answer not yet published (which
    # a logged-in reader may see) is overdue for nobody (``Measure.is_overdue``).
    measures = visible_measures.with_publicity().select_related("board").order_by("due_date", "pk")
    _attach(
        recommendations,
        measures.filter(recommendation__in=ids),
        "visible_measures",
        key="recommendation_id",
        cache=Measure.recommendation.field,
    )
    # The other recommendations a shared measure serves are named and linked (its main
    # one likewise): their name's fields are read, not their wording or search vector.
    # A row of a many-to-many link is read with the pk it was found through (``read_for``).
    named = ("label", "kind", "position")
    own = [measure for rec in recommendations for measure in rec.visible_measures]
    if own:
        own_ids = [measure.pk for measure in own]
        _read_due_date_changes(own, user)
        _attach(
            own,
            Recommendation.objects.filter(shared_measures__in=own_ids)
            .annotate(read_for=F("shared_measures"))
            .order_by("position")
            .only(*named),
            "timeline_also_serves",
            key="read_for",
        )
    _attach(
        recommendations,
        measures.filter(also_serves__in=ids)
        .annotate(read_for=F("also_serves"))
        .select_related("recommendation")
        .only(
            *(field.name for field in Measure._meta.concrete_fields),
            *(f"recommendation__{name}" for name in named),
        ),
        "visible_shared_measures",
        key="read_for",
    )
    shared = [measure for rec in recommendations for measure in rec.visible_shared_measures]
    if shared:
        _read_due_date_changes(shared, user)


def _read_due_date_changes(measures, user) -> None:
    """Give visible ``measures`` the moves of their due dates the user may see."""
    # Listed in ``DueDateChange.in_order`` (the order the due date comes from), which
    # compares the answers the moves were made in by their recency: of each answer only
    # that is read (its text and its response's other fields are never shown here).
    _attach(
        measures,
        DueDateChange.objects.visible_to(user, of_visible_measures=True)
        .filter(measure__in=[measure.pk for measure in measures])
        .select_related("entry__response__round")
        .only(
            *(field.name for field in DueDateChange._meta.concrete_fields),
            "entry__response__decision_date",
            "entry__response__round__sequence",
        )
        .order_by("changed_at", "pk"),
        "timeline_due_date_changes",
        key="measure_id",
        cache=DueDateChange.measure.field,
    )


def _attach(parents, rows, to_attr: str, *, key: str, cache=None) -> None:
    """Give each of ``parents`` the list ``to_attr`` of the ``rows`` (a queryset, read
    here) whose attribute ``key`` holds its pk, in the rows' order; parents that are one
    row read twice (a measure shown under two recommendations) share the list, as with
    ``prefetch_related``. ``cache``: the rows' foreign key to the parents, given each row
    its parent as Django's prefetch gives it (reading it asks no query)."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    by_pk = {}
    for parent in parents:
        setattr(parent, to_attr, grouped.get(parent.pk, []))
        by_pk[parent.pk] = parent
    if cache is not None:
        for pk, listed in grouped.items():
            for row in listed:
                cache.set_cached_value(row, by_pk[pk])


def word_diff(old: str, new: str) -> tuple[list[tuple[str, str]], float]:
    """The change from ``old`` to ``new`` as (kind, text) segments, and their similarity.

    Kinds are "equal", "delete" and "insert"; the texts are plain (templates escape them).
    """
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    segments = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            segments.append(("insert", " ".join(b[j1:j2])))
    return segments, matcher.ratio()


@dataclass
class MeasureState:
    """A measure as it stands today."""

    measure: Measure
    status: Status
    due: FuzzyDate | None
    is_proposal: bool  # in an answer not yet published (``Measure.is_proposal``)
    is_overdue: bool
    days_overdue: int
    due_date_changes: list
    # A shared measure: the other recommendations it serves (for a measure reported
    # under another recommendation, that main one), empty for a measure of its own.
    shared_with: list = field(default_factory=list)
    is_main: bool = True

    @classmethod
    def of(cls, measure, today, *, under, shared_with=(), is_main=True):
        """The measure as it stands on the page of ``under``, the recommendation it is
        shown under: a shared measure is overdue there only while that one is open."""
        days_overdue = measure.days_overdue(today, under=under)
        return cls(
            measure=measure,
            status=Status(measure.status),
            due=measure.due,
            is_proposal=measure.is_proposal,
            is_overdue=days_overdue > 0,
            days_overdue=days_overdue,
            due_date_changes=DueDateChange.in_order(measure.timeline_due_date_changes),
            shared_with=list(shared_with),
            is_main=is_main,
        )

    @property
    def is_shared(self) -> bool:
        return bool(self.shared_with)


@dataclass
class EntryStep:
    """One response entry in the timeline, compared with the same board's previous one."""

    entry: ResponseEntry
    status: Status
    previous: "EntryStep | None"
    assessment: AuditorAssessment | None
    measure_updates: list = field(default_factory=list)
    due_date_changes: list = field(default_factory=list)
    diff: list = field(default_factory=list)
    similarity: float | None = None

    @property
    def response(self):
        return self.entry.response

    @property
    def date(self):
        return self.entry.response.date

    @property
    def status_change(self) -> str:
        """ "first", "same", "forward", "backward" or "changed" (same progress, other status)."""
        if self.previous is None:
            return "first"
        before = self.previous.status
        if before == self.status:
            return "same"
        if self.status.progress > before.progress:
            return "forward"
        if self.status.progress < before.progress:
            return "backward"
        return "changed"

    @property
    def is_repeat(self) -> bool:
        return self.similarity is not None and self.similarity >= REPEAT_THRESHOLD

    @property
    def similarity_percent(self) -> int:
        return round((self.similarity or 0) * 100)

    @property
    def disagrees(self) -> bool:
        return self.assessment is not None and AuditorAssessment.disagrees(
            self.status, self.assessment.status
        )

    @property
    def assessment_status(self):
        return Status(self.assessment.status) if self.assessment else None


@dataclass
class RoundStep:
    """A follow-up round on the time axis: its entries and the auditors' assessment."""

    round: FollowUpRound
    entries: list
    assessment: AuditorAssessment | None
    today: dt.date | None = None  # the day a deadline is judged by

    @property
    def date(self):
        """When the round was answered (its earliest answer), else by when it is to be."""
        dates = self._answer_dates
        return min(dates) if dates else self.round.deadline

    @property
    def is_deadline(self) -> bool:
        """Whether ``date`` is the round's deadline, not an answer's date."""
        return not self._answer_dates and self.round.deadline is not None

    @property
    def deadline_has_passed(self) -> bool:
        """Whether the round's deadline, with no answer to show, has wholly passed: said
        beside it as a fact, not as a verdict (the board may have had nothing to report
        on this recommendation, or its answer may not be published yet)."""
        return (
            self.is_deadline and self.today is not None and self.round.deadline.is_past(self.today)
        )

    @property
    def _answer_dates(self) -> list:
        return [step.date for step in self.entries if step.date]

    @property
    def assessment_status(self):
        return Status(self.assessment.status) if self.assessment else None


@dataclass
class Timeline:
    recommendation: object
    rounds: list
    entries: list
    measures: list
    addressed_to: list = field(default_factory=list)  # the boards it is addressed to, by name
    answered_by: list = field(default_factory=list)  # the boards that answer it, by name
    today: dt.date | None = None  # the day "overdue" is judged by

    @property
    def current_status(self):
        """The recommendation's own status, derived on write from its boards' standings."""
        return self.recommendation.status_value

    @property
    def standings(self):
        """Every board the recommendation concerns (addressed to it, named to answer it,
        or having answered it), with its own status, answered or not; whether it owes an
        answer is its ``must_answer``."""
        return self.recommendation.board_standings

    @property
    def overdue_measures(self):
        return [m for m in self.measures if m.is_overdue]


def _share_what_is_read_once(recommendation) -> None:
    """Give the answers, assessments and standings of a recommendation read by
    ``read_timelines()`` their rounds from its audit's rounds, read once, and the boards
    of the answers and standings their municipality, the audit's: each of them is about
    a round of that audit, of a board of its municipality, and read with each row the
    same few rounds and the one municipality were built again for every answer,
    assessment and standing (one that is somehow not there is read when asked for, as
    without this)."""
    rounds = {round_.pk: round_ for round_ in recommendation.audit.timeline_rounds}
    responses = [entry.response for entry in recommendation.visible_entries]
    for rows, round_field in (
        (responses, Response.round.field),
        (recommendation.timeline_assessments, AuditorAssessment.round.field),
        (recommendation.board_standings, BoardStanding.round.field),
    ):
        for row in rows:
            round_ = rounds.get(row.round_id)
            if round_ is not None:
                round_field.set_cached_value(row, round_)
    municipality = recommendation.audit.municipality
    municipality_field = Board.municipality.field
    for row in [*responses, *recommendation.board_standings]:
        if row.board.municipality_id == municipality.pk:
            municipality_field.set_cached_value(row.board, municipality)


def build_timeline(recommendation, today: dt.date) -> Timeline:
    """The timeline of a recommendation read by ``read_timelines()`` (no queries)."""
    _share_what_is_read_once(recommendation)
    measures = [
        MeasureState.of(m, today, under=recommendation, shared_with=m.timeline_also_serves)
        for m in recommendation.visible_measures
    ] + [
        MeasureState.of(
            m, today, under=recommendation, shared_with=[m.recommendation], is_main=False
        )
        for m in recommendation.visible_shared_measures
    ]
    # Each answer's report on a measure knows how the measure stands today (its
    # ``state_today``, None for a measure not shown under the recommendation): the
    # assessment page flags an overdue one beside the report, as the measures table does.
    # A report is of a measure the recommendation is served by (``MeasureUpdate.clean``),
    # one of those read for it: the report is given that one, not read again per report
    # (one that is somehow not there is read when asked for).
    state_by_measure = {state.measure.pk: state for state in measures}
    measure_field = MeasureUpdate.measure.field
    for entry in recommendation.visible_entries:
        for update in entry.timeline_measure_updates:
            update.state_today = state = state_by_measure.get(update.measure_id)
            if state is not None:
                measure_field.set_cached_value(update, state.measure)
    changes_by_entry = defaultdict(list)
    for state in measures:
        for change in state.due_date_changes:
            if change.entry_id:
                changes_by_entry[change.entry_id].append((state.measure, change))
    assessments = {a.round_id: a for a in recommendation.timeline_assessments}
    entries_by_round = defaultdict(list)
    previous_by_board = {}
    steps = []
    for entry in recommendation.visible_entries:
        board_id = entry.response.board_id
        step = EntryStep(
            entry=entry,
            status=Status(entry.status),
            previous=previous_by_board.get(board_id),
            assessment=assessments.get(entry.response.round_id),
            measure_updates=entry.timeline_measure_updates,
            due_date_changes=changes_by_entry[entry.pk],
        )
        if step.previous is not None:
            step.diff, step.similarity = word_diff(step.previous.entry.narrative, entry.narrative)
            if not (entry.narrative.strip() and step.previous.entry.narrative.strip()):
                step.similarity = None
        previous_by_board[board_id] = step
        entries_by_round[entry.response.round_id].append(step)
        steps.append(step)
    rounds = [
        RoundStep(
            round=r, entries=entries_by_round[r.pk], assessment=assessments.get(r.pk), today=today
        )
        for r in recommendation.audit.timeline_rounds
    ]
    return Timeline(
        recommendation=recommendation,
        rounds=rounds,
        entries=steps,
        measures=measures,
        addressed_to=[s.board for s in recommendation.board_standings if s.is_addressed],
        answered_by=[s.board for s in recommendation.board_standings if s.is_answering],
        today=today,
    )


class MatrixAnswer:
    """A board's answer as the matrix reads it: status, board, round and the response's
    dates, read as plain values (``attach_matrix_answers``). A board's hundred
    recommendations have some three hundred answers; read as entries with their
    response, board, municipality and round they were some 1,200 model instances and a
    third of the page's time, for four values each."""

    __slots__ = (
        "board",
        "board_id",
        "decision_date",
        "document_date",
        "document_precision",
        "published_at",
        "recommendation_id",
        "round_id",
        "round_sequence",
        "status",
    )
    FIELDS = (
        "recommendation_id",
        "status",
        "response__board_id",
        "response__round_id",
        "response__round__sequence",
        "response__decision_date",
        "response__document_date",
        "response__document_precision",
        "response__published_at",
    )

    document = FuzzyDateDescriptor("document")
    # The date a response is known by; the rule's one home is the response's.
    date = Response.date

    def known_on(self, as_of: dt.date | None) -> bool:
        """Whether the answer was known on ``as_of``: the council report's rule."""
        return known_on(self.date, as_of, self.published_at)

    def __init__(self, values):
        (
            self.recommendation_id,
            self.status,
            self.board_id,
            self.round_id,
            self.round_sequence,
            self.decision_date,
            self.document_date,
            self.document_precision,
            self.published_at,
        ) = values
        self.board = None  # the Board, set by attach_matrix_answers


@dataclass
class MatrixCell:
    """A board's latest answer in a year, beside the auditors' assessment of its round;
    or, in a year without an answer, the auditors' latest assessment that year of a
    round the board did not answer (``answer`` None)."""

    answer: MatrixAnswer | None
    assessment: AuditorAssessment | None

    @property
    def status(self):
        return Status(self.answer.status) if self.answer else None

    @property
    def assessment_status(self):
        return Status(self.assessment.status) if self.assessment else None

    @property
    def disagrees(self) -> bool:
        return (
            self.answer is not None
            and self.assessment is not None
            and AuditorAssessment.disagrees(self.answer.status, self.assessment.status)
        )

    @property
    def round_id(self) -> int:
        """The round the cell is about: its answer's, else its assessment's."""
        return self.answer.round_id if self.answer else self.assessment.round_id

    @property
    def round_sequence(self) -> int:
        return self.answer.round_sequence if self.answer else self.assessment.round.sequence


class NotDue:
    """The cell of a year before the recommendation's audit was issued: nothing was due
    then, unlike a year the board left unanswered (None). Empty (false) as None is, so
    whatever asks whether a year has an answer or an assessment gets no; ``NOT_DUE`` is
    its one instance."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_DUE"


NOT_DUE = NotDue()


@dataclass
class MatrixRow:
    """One line of the matrix: a recommendation and one board that must answer it (a line
    per board, so no board is shown with another's answer), one cell per year."""

    recommendation: object
    board: object  # None for a recommendation no board is asked to answer
    cells: list  # one per year: a MatrixCell, None (no answer) or NOT_DUE
    is_first: bool = True  # the recommendation's first line (its name is shown once)
    span: int = 1  # how many lines the recommendation has
    is_closed: bool = False  # closed as known on the matrix's day
    html: str = ""  # the row as the matrix page shows it (overview.write_matrix_rows)


@dataclass
class MatrixGroup:
    audit: object
    rows: list


def build_matrix(recommendations, *, as_of: dt.date | None = None, years=None, board=None):
    """Rows grouped by audit: the ``matrix_lines`` of each recommendation, which come from
    ``matrix_recommendations()`` in the audits' order; a column per ``matrix_years()``
    unless ``years`` are given."""
    years = matrix_years() if years is None else years
    groups = []
    for recommendation in recommendations:
        rows = matrix_lines(recommendation, as_of=as_of, years=years, board=board)
        if not groups or groups[-1].audit.pk != recommendation.audit_id:
            groups.append(MatrixGroup(recommendation.audit, []))
        groups[-1].rows.extend(rows)
    return groups


def matrix_lines(
    recommendation, *, as_of: dt.date | None = None, years=None, board=None
) -> list[MatrixRow]:
    """A recommendation's lines of the matrix: one per board (only ``board``'s when one is
    chosen); per year that board's latest visible answer known ``as_of`` that date.

    ``recommendation`` comes from ``matrix_recommendations()``. An answer counts for a
    year by its response's date (decision date, else document date); with ``as_of`` only
    responses whose whole date lies on or before that day count, so "hösten 2020" is not
    yet known on 2020-09-01 (``responses.standings.known_on``, the council report's rule,
    which also counts what was published here by that day). Each cell carries the
    auditors' assessment of the answer's round. A year before the audit was issued (the
    year of ``audit_counted_from``) holds ``NOT_DUE`` where it has nothing to show.
    """
    years = matrix_years() if years is None else years
    audit = recommendation.audit
    issued = audit_counted_from(
        audit.conducted_from_date,
        audit.conducted_from_precision,
        audit.conducted_to_date,
        audit.conducted_to_precision,
    )
    empty = {year: NOT_DUE for year in years if issued and year < issued.year}
    # The assessments known on the day, beside an answer or alone, as the standings as of
    # a day count them (``assessed_by``).
    assessments = {
        a.round_id: a
        for a in recommendation.matrix_assessments
        if assessed_by(a.assessed_on, as_of)
    }
    # A line per board that must answer it or has answered (an addressee that leaves the
    # answer to another board has none, unless it is the board chosen), and one per board
    # with an answer the user may see.
    boards = [
        standing.board
        for standing in recommendation.matrix_standings
        if counts_for_recommendation(standing.must_answer, standing.status) or board is not None
    ]
    answering = {
        standing.board_id for standing in recommendation.matrix_standings if standing.must_answer
    }
    by_board = defaultdict(dict)
    for answer in recommendation.matrix_answers:
        date = answer.date
        if date is None or date.start.year not in years:
            continue
        if not answer.known_on(as_of):
            continue
        by_board[answer.board_id][date.start.year] = answer
        if answer.board not in boards:
            boards.append(answer.board)
    if board is not None:
        boards = [b for b in boards if b.pk == board.pk]
    # An assessment of a round that asked a board answering the recommendation, and that
    # the board did not answer, is shown alone on its line, in the year it was made: the
    # auditors' word on what the board left unanswered.
    answered_rounds = defaultdict(set)
    for answer in recommendation.matrix_answers:
        answered_rounds[answer.board_id].add(answer.round_id)
    known_assessments = sorted(
        assessments.values(), key=lambda a: (a.assessed_on, a.round.sequence)
    )
    # Closed as known on the day (``is_open_on``, the council report's rule).
    is_closed = not is_open_on(recommendation.closed_on, as_of)
    rows = []
    for line_board in boards or [None]:
        by_year = by_board[line_board.pk] if line_board else {}
        if line_board is None:  # no board is asked: every assessment is the auditors' word
            alone = {a.assessed_on.year: a for a in known_assessments}
        else:
            answered = answered_rounds[line_board.pk]
            alone = {
                a.assessed_on.year: a
                for a in known_assessments
                if a.round_id not in answered
                and line_board.pk in answering
                and FollowUpRound.asks_among(
                    a.round.named_board_ids, line_board.pk, answers_in_audit=True
                )
            }
        cells = [
            MatrixCell(answer, assessments.get(answer.round_id))
            if (answer := by_year.get(year))
            else (MatrixCell(None, alone[year]) if year in alone else empty.get(year))
            for year in years
        ]
        rows.append(
            MatrixRow(recommendation, line_board, cells, is_first=not rows, is_closed=is_closed)
        )
    for row in rows:
        row.span = len(rows)
    return rows


def matrix_recommendations(queryset, user, board=None, *, chunk_size: int | None = None):
    """The recommendations of ``queryset`` in the matrix's order, each with what
    ``matrix_lines`` reads (``attach_matrix_answers``). Queries: 5, per chunk of
    ``chunk_size`` recommendations when it is given (the exports: their memory stays
    bounded), else for all at once (a page).

    The audits are read without their summary and conclusion, which no matrix shows."""
    recommendations = (
        queryset.select_related("audit__municipality")
        .defer("audit__summary", "audit__conclusion")
        .order_by("audit__reference", "audit_id", "position")
    )
    for chunk in _in_chunks(recommendations, chunk_size):
        attach_matrix_answers(chunk, user, board)
        yield from chunk


# What the matrix reads of each board's standing, its board and the board's municipality
# (``matrix_lines``, the row's board link): a board's hundred standings were read with
# every column of the three tables.
MATRIX_STANDING_COLUMNS = (
    "recommendation_id",
    "status",
    "must_answer",
    "board__name",
    "board__short_code",
    "board__municipality__slug",
)


def attach_matrix_answers(recommendations, user, board=None) -> None:
    """Give each recommendation what its matrix lines show, each in a list of its own:
    ``matrix_assessments``, the auditors' assessments; ``matrix_standings``, the boards
    that must answer, by name; ``matrix_answers``, the answers ``user`` may see, in round
    and date order, as ``MatrixAnswer`` values (with ``board``, only that board's
    standings and answers). Queries: 4, the boards the assessed rounds name among them
    (5 if an answer comes from a board with no standing on its recommendation, which
    only an unpublished answer can).

    Grouped here rather than by ``prefetch_related``, whose bookkeeping per object took
    as long as the three queries."""
    if not recommendations:
        return
    ids = [rec.pk for rec in recommendations]
    standings = BoardStanding.objects.filter(recommendation__in=ids)
    answers = ResponseEntry.objects.visible_to(user).filter(recommendation__in=ids)
    if board is not None:
        standings = standings.filter(board=board)
        answers = answers.filter(response__board=board)
    assessments_of = defaultdict(list)
    assessments = list(
        AuditorAssessment.objects.filter(recommendation__in=ids)
        .select_related("round")
        .only("recommendation_id", "round_id", "status", "assessed_on", "round__sequence")
    )
    named = defaultdict(set)  # the boards each assessed round names (``FollowUpRound.asks``)
    if assessments:
        for round_id, board_id in FollowUpRound.asks.through.objects.filter(
            followupround_id__in={assessment.round_id for assessment in assessments}
        ).values_list("followupround_id", "board_id"):
            named[round_id].add(board_id)
    for assessment in assessments:
        assessment.round.named_board_ids = named[assessment.round_id]
        assessments_of[assessment.recommendation_id].append(assessment)
    standings_of = defaultdict(list)
    for standing in (
        standings.select_related("board__municipality")
        .only(*MATRIX_STANDING_COLUMNS)
        .in_display_order()
    ):
        standings_of[standing.recommendation_id].append(standing)
    answers_of = defaultdict(list)
    for values in answers.order_by(*Response.recency_order("response__"), "pk").values_list(
        *MatrixAnswer.FIELDS
    ):
        answer = MatrixAnswer(values)
        answers_of[answer.recommendation_id].append(answer)
    boards = {
        standing.board_id: standing.board for listed in standings_of.values() for standing in listed
    }
    every_answer = [answer for listed in answers_of.values() for answer in listed]
    unknown = {answer.board_id for answer in every_answer} - boards.keys()
    if unknown:
        boards |= Board.objects.select_related("municipality").in_bulk(unknown)
    for answer in every_answer:
        answer.board = boards[answer.board_id]
    for rec in recommendations:
        rec.matrix_assessments = assessments_of.get(rec.pk, [])
        rec.matrix_standings = standings_of.get(rec.pk, [])
        rec.matrix_answers = answers_of.get(rec.pk, [])

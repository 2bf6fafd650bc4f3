"""Generate realistic synthetic audits, responses and measures in bulk.

Speed comes from three choices:

* primary keys are handed out here (from the table's current maximum), so a
  whole audit with its rounds, responses, entries and measures is built in
  memory with its foreign keys already filled in, and written with a few
  ``bulk_create`` calls per table, never one ``save()`` per row;
* objects are written in batches of a few hundred audits and then dropped, so
  memory stays flat at national scale;
* no history rows: ``bulk_create`` sends no signals, so django-simple-history
  records nothing for generated rows (their history pages start empty, as for
  data loaded with ``loaddata``). Generating a history row per object would
  double the volume and measure nothing the pages read.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, so the
same seed and scale give the same data.
"""

import copy
import datetime as dt
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils.text import slugify

from auditfollowup.lib.dates import Precision, period_start
from recommendations import roles
from recommendations.models import (
    Audit,
    AuditorAssessment,
    Board,
    FollowUpRound,
    Membership,
    Municipality,
    Recommendation,
)
from recommendations.status import Status
from responses import standings
from responses.models import (
    DecisionStep,
    DueDateChange,
    Measure,
    MeasureUpdate,
    Response,
    ResponseEntry,
    Signatory,
)

from . import text
from .scale import Scale

SLUG_PREFIX = "syntetisk-"
# The data describes the world as of this day: rounds with a later deadline are
# still open and their responses are drafts. Fixed, so a seed always gives the same data.
AS_OF = dt.date(2026, 9, 30)
FIRST_DEADLINE = dt.date(2019, 2, 1)
LAST_DEADLINE = dt.date(2026, 12, 31)
TIMEZONE = ZoneInfo("Europe/Stockholm")
AUDITS_PER_FLUSH = 250
BATCH_SIZE = 1000

# The progression a board reports, round after round.
_FORWARD = {
    Status.NOT_STARTED: Status.PLANNED,
    Status.PLANNED: Status.IN_PROGRESS,
    Status.IN_PROGRESS: Status.PARTLY_IMPLEMENTED,
    Status.PARTLY_IMPLEMENTED: Status.IMPLEMENTED,
}
_MEASURE_STATUS_BY_PROGRESS = {
    1: Status.PLANNED,
    2: Status.IN_PROGRESS,
    3: Status.PARTLY_IMPLEMENTED,
    4: Status.IMPLEMENTED,
}

User = get_user_model()

# Tables in the order their rows may be written (foreign keys point backwards).
WRITE_ORDER = [
    Municipality,
    User,
    User.groups.through,
    Membership,
    Board,
    Board.staff.through,
    Audit,
    Audit.audited_boards.through,
    FollowUpRound,
    Recommendation,
    Recommendation.addressed_to.through,
    Recommendation.answered_by.through,
    Response,
    DecisionStep,
    Signatory,
    ResponseEntry,
    ResponseEntry.references.through,
    Measure,
    MeasureUpdate,
    DueDateChange,
    AuditorAssessment,
]
# Tables whose primary keys we hand out ourselves (their sequences are reset afterwards):
# every model of the domain, so the same seed gives the same keys in any database.
KEYED_MODELS = [model for model in WRITE_ORDER if not model._meta.auto_created]


def analyze_tables() -> None:
    """Refresh PostgreSQL's statistics of every table written, so plans fit the new size.

    Without this the planner keeps guessing from the empty tables until autovacuum
    gets round to them, and picks plans (hash joins over whole tables, sequential
    scans) that are wrong by orders of magnitude at national scale.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in WRITE_ORDER:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def synthetic_data_exists() -> bool:
    return Municipality.objects.filter(slug__startswith=SLUG_PREFIX).exists()


class _Keys:
    """Hands out primary keys above each table's current maximum (and at least ``first``)."""

    def __init__(self, models, first: int = 1):
        self._next = {
            model: max(first, (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1)
            for model in models
        }

    def peek(self, model) -> int:
        """The key ``take`` will hand out next."""
        return self._next[model]

    def take(self, model) -> int:
        key = self._next[model]
        self._next[model] = key + 1
        return key


class _Trajectory:
    """The status one board reports for one recommendation, round after round."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.status: Status | None = None

    def next(self) -> Status:
        rng = self.rng
        if self.status is None:
            self.status = rng.choices(
                [
                    Status.PLANNED,
                    Status.IN_PROGRESS,
                    Status.NOT_STARTED,
                    Status.PARTLY_IMPLEMENTED,
                    Status.IMPLEMENTED,
                    Status.NOT_ACCEPTED,
                ],
                weights=[35, 33, 10, 10, 7, 5],
            )[0]
            return self.status
        if self.status.is_settled:
            return self.status
        if self.status == Status.NOT_ACCEPTED:
            if rng.random() < 0.2:
                self.status = Status.PLANNED
            return self.status
        roll = rng.random()
        if roll < 0.03:
            return Status.NOT_REPORTED  # this round only; the work goes on
        if roll < 0.07:
            self.status = Status.NO_LONGER_RELEVANT
        elif roll < 0.10 and self.status == Status.PARTLY_IMPLEMENTED:
            self.status = Status.IN_PROGRESS  # a step back
        elif roll < 0.65:
            self.status = _FORWARD[self.status]
        return self.status


def _fuzzy(rng: random.Random, day: dt.date, weights) -> dict:
    """A (start, precision) pair around ``day``, with precisions drawn by ``weights``."""
    precision = rng.choices(
        [Precision.DAY, Precision.MONTH, Precision.TERM, Precision.YEAR], weights=weights
    )[0]
    return {"start": period_start(day, precision), "precision": precision}


def _fields(prefix: str, fuzzy: dict | None) -> dict:
    if fuzzy is None:
        return {f"{prefix}_date": None}
    return {f"{prefix}_date": fuzzy["start"], f"{prefix}_precision": fuzzy["precision"]}


def _fuzzy_of(obj, prefix: str) -> dict:
    return {
        "start": getattr(obj, f"{prefix}_date"),
        "precision": getattr(obj, f"{prefix}_precision"),
    }


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=TIMEZONE)


class Generator:
    """Builds synthetic data for ``scale`` and writes it with bulk inserts."""

    def __init__(
        self, *, scale: Scale, seed: int, staff_password: str | None = None, first_pk: int = 1
    ):
        self.scale = scale
        self.first_pk = first_pk
        # Reproducible data, not secrets: a seeded pseudo-random generator is what we want.
        self.rng = random.Random(seed)  # noqa: S311
        self.staff_password = staff_password
        self.counts: dict[str, int] = defaultdict(int)
        self._pending: dict[type, list] = defaultdict(list)
        # How far ahead (+1) or behind (-1) of its recommendation each measure runs.
        self._offsets: dict[int, int] = {}
        # The exact deadline of each round (the stored one may be a fuzzy period's start).
        self._deadlines: dict[int, dt.date] = {}

    # Writing -------------------------------------------------------------------------

    def _add(self, obj):
        self._pending[type(obj)].append(obj)
        return obj

    def _flush(self):
        for model in WRITE_ORDER:
            objects = self._pending.pop(model, [])
            if objects:
                model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
                self.counts[model._meta.label] += len(objects)
        self._pending.clear()

    def _reset_sequences(self):
        statements = connection.ops.sequence_reset_sql(no_style(), KEYED_MODELS)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    # Generating ----------------------------------------------------------------------

    def run(self, progress=None, *, reset_sequences: bool = True) -> dict[str, int]:
        """Generate everything; the caller wraps this in a transaction."""
        self.keys = _Keys(KEYED_MODELS, self.first_pk)
        self.staff_group, _ = Group.objects.get_or_create(name=roles.STAFF_GROUP)
        self.auditor_group, _ = Group.objects.get_or_create(name=roles.AUDITOR_GROUP)
        self.admin_group, _ = Group.objects.get_or_create(name=roles.ADMIN_GROUP)
        self.password_hash = make_password(self.staff_password) if self.staff_password else None
        names = text.place_names()
        self.rng.shuffle(names)
        audits_done = 0
        for index, audits in enumerate(self.scale.audits_per_municipality()):
            municipality = self._municipality(names[index])
            for number in range(audits):
                # Every municipality's last audit is this year's, with an open round and
                # drafts: what its staff are writing now.
                self._audit(municipality, recent=number == audits - 1)
                audits_done += 1
                if audits_done % AUDITS_PER_FLUSH == 0:
                    self._flush()
                    self._offsets.clear()
                    self._deadlines.clear()
                    if progress:
                        progress(audits_done, self.scale.audits)
        self._flush()
        if reset_sequences:
            self._reset_sequences()
        # bulk_create sends no signals: the standings of what was made are derived here.
        standings.refresh(
            Recommendation.objects.filter(
                audit__municipality__slug__startswith=SLUG_PREFIX
            ).values_list("pk", flat=True)
        )
        return dict(self.counts)

    def _municipality(self, place: str):
        rng = self.rng
        municipality = self._add(
            Municipality(
                pk=self.keys.take(Municipality),
                name=f"{place} kommun",
                slug=f"{SLUG_PREFIX}{slugify(place)}",
            )
        )
        self.boards = {}
        for name, code, kind in text.BOARDS:
            board = self._add(
                Board(
                    pk=self.keys.take(Board),
                    municipality_id=municipality.pk,
                    name=name,
                    short_code=code,
                    kind=kind,
                )
            )
            self.boards[code] = board
            if kind == Board.Kind.BOARD:
                user = self._add(
                    User(
                        pk=self.keys.take(User),
                        username=f"{code.lower()}-{municipality.slug}",
                        first_name=rng.choice(text.FIRST_NAMES),
                        last_name=rng.choice(text.LAST_NAMES),
                        email=f"{code.lower()}@{municipality.slug}.example.invalid",
                        password=self.password_hash or make_password(None),
                    )
                )
                self._add(User.groups.through(user_id=user.pk, group_id=self.staff_group.pk))
                self._add(Board.staff.through(board_id=board.pk, user_id=user.pk))
        # One auditor and one admin per municipality, so that tenancy can be tried at scale.
        for role, group, is_staff in (
            ("revisor", self.auditor_group, False),
            ("admin", self.admin_group, True),
        ):
            user = self._add(
                User(
                    pk=self.keys.take(User),
                    username=f"{municipality.slug}-{role}",
                    first_name=rng.choice(text.FIRST_NAMES),
                    last_name=rng.choice(text.LAST_NAMES),
                    email=f"{role}@{municipality.slug}.example.invalid",
                    password=self.password_hash or make_password(None),
                    is_staff=is_staff,
                )
            )
            self._add(User.groups.through(user_id=user.pk, group_id=group.pk))
            self._add(
                Membership(
                    pk=self.keys.take(Membership), user_id=user.pk, municipality_id=municipality.pk
                )
            )
        self.answering_boards = [b for b in self.boards.values() if b.kind == Board.Kind.BOARD]
        self.reference_counter = 0
        self.municipality_recommendations: list[int] = []
        return municipality

    def _audit(self, municipality, recent: bool = False):
        rng = self.rng
        kind = rng.choices(
            [Audit.Kind.AUDIT, Audit.Kind.IN_DEPTH_AUDIT, Audit.Kind.INVESTIGATION],
            weights=[85, 8, 7],
        )[0]
        year = AS_OF.year if recent else rng.randint(2018, 2025)
        started = dt.date(year, rng.randint(1, 3 if recent else 9), rng.randint(1, 28))
        reported = started + dt.timedelta(days=rng.randint(90, 180))
        topic = rng.choice(text.AUDIT_TOPICS)
        self.reference_counter += 1
        if kind == Audit.Kind.INVESTIGATION:
            auditor = self.boards["KS"]
            title = f"Utredning och uppdrag om {topic}"
            reference = f"KS-{year}-{self.reference_counter}"
            audited = [self.boards["KS"], *rng.sample(self.answering_boards, 1)]
        else:
            auditor = self.boards["REV"]
            prefix = "Fördjupad granskning" if kind == Audit.Kind.IN_DEPTH_AUDIT else "Granskning"
            title = f"{prefix} av {topic}"
            reference = f"SR-{year}-{self.reference_counter}"
            audited = rng.sample(self.answering_boards, rng.choices([1, 2, 3], [75, 20, 5])[0])
        audit = self._add(
            Audit(
                pk=self.keys.take(Audit),
                municipality_id=municipality.pk,
                reference=reference,
                title=title,
                kind=kind,
                auditor_id=auditor.pk,
                firm=rng.choice(["PwC", "EY", "KPMG", "Deloitte", ""]),
                **_fields("conducted_from", _fuzzy(rng, started, [20, 50, 20, 10])),
                **_fields(
                    "conducted_to",
                    _fuzzy(rng, started + dt.timedelta(days=rng.randint(30, 90)), [20, 60, 20, 0]),
                ),
                summary=(
                    f"Revisionen har granskat {topic}. "
                    f"{text.recommendation_text(rng)} {text.recommendation_text(rng)}"
                ),
                conclusion=rng.choice(
                    [
                        "Revisionen bedömer att nämnden i huvudsak har en ändamålsenlig styrning.",
                        "Revisionen bedömer att den interna kontrollen inte är tillräcklig.",
                        "Revisionen bedömer att nämnden delvis säkerställer en god uppföljning.",
                    ]
                ),
            )
        )
        for board in audited:
            self._add(Audit.audited_boards.through(audit_id=audit.pk, board_id=board.pk))
        recommendations = self._recommendations(audit, kind, audited, reported)
        rounds = self._rounds(audit, kind, reported, recent)
        self._responses(audit, audited, recommendations, rounds)

    def _recommendations(self, audit, kind, audited, reported):
        """Recommendations with the boards that answer each: [(recommendation, boards)]."""
        rng = self.rng
        result = []
        for position in range(1, rng.randint(2, 8) + 1):
            if kind == Audit.Kind.INVESTIGATION:
                rec_kind = Recommendation.Kind.DECISION_POINT
                label = f"Beslutspunkt {position}"
            elif rng.random() < 0.1:
                rec_kind = Recommendation.Kind.OTHER_REMARK
                label = "Revisionens övriga synpunkter"
            else:
                rec_kind = Recommendation.Kind.RECOMMENDATION
                label = f"Rekommendation {position}"
            report_back = None
            report_back_text = ""
            if rec_kind == Recommendation.Kind.DECISION_POINT:
                report_back = _fuzzy(
                    rng, reported + dt.timedelta(days=rng.randint(120, 540)), [10, 40, 30, 20]
                )
                if rng.random() < 0.5:
                    report_back_text = f"i samband med Delårsrapporten {report_back['start'].year}"
            recommendation = self._add(
                Recommendation(
                    pk=self.keys.take(Recommendation),
                    audit_id=audit.pk,
                    position=position,
                    label=label,
                    text=text.recommendation_text(rng),
                    kind=rec_kind,
                    report_back_text=report_back_text,
                    **_fields("report_back", report_back),
                )
            )
            if len(audited) == 1 or rng.random() < 0.2:
                boards = list(audited)
            else:
                boards = [rng.choice(audited)]
            for board in boards:
                self._add(
                    Recommendation.addressed_to.through(
                        recommendation_id=recommendation.pk, board_id=board.pk
                    )
                )
                self._add(
                    Recommendation.answered_by.through(
                        recommendation_id=recommendation.pk, board_id=board.pk
                    )
                )
            result.append((recommendation, boards))
        return result

    def _rounds(self, audit, kind, reported, recent):
        rng = self.rng
        wanted = rng.choices([1, 2, 3, 4, 5], weights=[12, 25, 28, 20, 15])[0]
        # The follow-up the product covers starts in 2019 (as the seeds do).
        deadline = max(reported + dt.timedelta(days=rng.randint(60, 120)), FIRST_DEADLINE)
        if recent:
            deadline = AS_OF + dt.timedelta(days=rng.randint(15, 80))
        rounds = []
        for sequence in range(1, wanted + 1):
            if deadline > LAST_DEADLINE:
                break
            if sequence == 1:
                round_kind = (
                    FollowUpRound.Kind.DECISION
                    if kind == Audit.Kind.INVESTIGATION
                    else FollowUpRound.Kind.FIRST_RESPONSE
                )
                title = "Första yttrande" if round_kind != FollowUpRound.Kind.DECISION else "Beslut"
            elif kind == Audit.Kind.INVESTIGATION:
                round_kind, title = FollowUpRound.Kind.REPORT_BACK, "Återrapportering"
            elif sequence % 2 == 0:
                round_kind, title = FollowUpRound.Kind.MEASURES_TAKEN, "Vidtagna åtgärder"
            else:
                round_kind, title = FollowUpRound.Kind.STATUS_DESCRIPTION, "Lägesbeskrivning"
            deadline_fuzzy = _fuzzy(rng, deadline, [65, 25, 10, 0])
            # Boards answer before the real deadline, not before the start of a fuzzy one.
            self._deadlines[self.keys.peek(FollowUpRound)] = deadline
            rounds.append(
                self._add(
                    FollowUpRound(
                        pk=self.keys.take(FollowUpRound),
                        audit_id=audit.pk,
                        sequence=sequence,
                        kind=round_kind,
                        title=title,
                        requested_by=(
                            "Kommunstyrelsen"
                            if kind == Audit.Kind.INVESTIGATION
                            else "Revisorskollegiet"
                        ),
                        request=(
                            "Revisionen önskar en redovisning av vilka åtgärder som vidtagits "
                            "och vilken effekt de har haft."
                        ),
                        is_open=deadline > AS_OF,
                        **_fields("deadline", deadline_fuzzy),
                    )
                )
            )
            deadline = deadline + dt.timedelta(days=rng.randint(150, 420))
        return rounds

    def _responses(self, audit, audited, recommendations, rounds):
        rng = self.rng
        trajectories = {}
        measures_of = {}  # (recommendation pk, board pk) -> [Measure]
        for follow_up in rounds:
            open_round = follow_up.is_open
            assess_round = not open_round and rng.random() < 0.35
            for board in audited:
                answered = [(r, boards) for r, boards in recommendations if board in boards]
                # In an open round some boards have not started yet, but the first has a draft.
                skip = rng.random() < (0.45 if open_round else 0.04)
                if not answered or (skip and board != audited[0]):
                    continue
                response, day = self._response(audit, follow_up, board, open_round)
                for recommendation, boards in answered:
                    key = (recommendation.pk, board.pk)
                    trajectory = trajectories.setdefault(key, _Trajectory(rng))
                    status = trajectory.next()
                    entry = self._add(
                        ResponseEntry(
                            pk=self.keys.take(ResponseEntry),
                            response_id=response.pk,
                            recommendation_id=recommendation.pk,
                            status=status,
                            narrative=text.narrative(rng, rng.randint(1, 3)),
                        )
                    )
                    if self.municipality_recommendations and rng.random() < 0.03:
                        self._add(
                            ResponseEntry.references.through(
                                responseentry_id=entry.pk,
                                recommendation_id=rng.choice(self.municipality_recommendations),
                            )
                        )
                    published = response.state == Response.State.PUBLISHED
                    if board == boards[0]:
                        self._measures(
                            recommendation, board, entry, status, day, measures_of, published
                        )
                    if assess_round and published and board == boards[0]:
                        self._assessment(recommendation, follow_up, status, day)
                    if published and trajectory.status.is_settled and not open_round:
                        self._maybe_close(recommendation, day)
        self.municipality_recommendations.extend(r.pk for r, _ in recommendations)

    def _maybe_close(self, recommendation, day):
        """Half the settled recommendations are closed by the auditors a little later."""
        rng = self.rng
        if recommendation.closed_on is None and rng.random() < 0.5:
            recommendation.closed_on = min(day + dt.timedelta(days=rng.randint(30, 120)), AS_OF)
            recommendation.closed_reason = (
                "Revisionen bedömer att rekommendationen är omhändertagen."
            )

    def _response(self, audit, follow_up, board, open_round):
        rng = self.rng
        day = self._deadlines[follow_up.pk] - dt.timedelta(days=rng.randint(0, 30))
        if open_round:
            state = Response.State.DRAFT
        else:
            state = rng.choices(
                [Response.State.PUBLISHED, Response.State.SUBMITTED, Response.State.DRAFT],
                weights=[93, 4, 3],
            )[0]
        by_reference = not open_round and rng.random() < 0.05
        first = follow_up.sequence == 1
        title = f"{'Yttrande' if first else 'Uppföljande yttrande'} över {audit.title.lower()}"
        fields = {
            "pk": self.keys.take(Response),
            "board_id": board.pk,
            "round_id": follow_up.pk,
            "title": title,
            "diary_number": f"{board.short_code}-{day.year}-{rng.randint(1000, 29999)}",
            "addressed_to": follow_up.requested_by,
            "decided_by": board.name,
            "summary": text.narrative(rng, 2),
            "state": state,
            "version": 1,
        }
        if by_reference:
            fields.update(
                provenance=Response.Provenance.REFERENCE,
                reference_note=(
                    f"Nämnden lämnade ett yttrande i {day.year}; "
                    "det är känt genom hänvisning i ett senare yttrande."
                ),
                **_fields("document", _fuzzy(rng, day, [0, 60, 30, 10])),
            )
        else:
            fields.update(
                provenance=Response.Provenance.ENTERED,
                decision_date=None if state == Response.State.DRAFT else day,
                **_fields("document", {"start": day, "precision": Precision.DAY}),
            )
        if state == Response.State.PUBLISHED:
            fields["published_at"] = _moment(day + dt.timedelta(days=rng.randint(1, 10)))
        response = self._add(Response(**fields))
        if response.decision_date:
            steps = [
                (DecisionStep.Kind.PREPARATION, f"{board.short_code} beredning", 21),
                (DecisionStep.Kind.WORKING_COMMITTEE, f"{board.name}s arbetsutskott", 14),
                (DecisionStep.Kind.BOARD_MEETING, board.name, 0),
            ]
            for step_kind, body, days_before in steps[rng.randint(0, 2) :]:
                self._add(
                    DecisionStep(
                        pk=self.keys.take(DecisionStep),
                        response_id=response.pk,
                        kind=step_kind,
                        body=body,
                        date=day - dt.timedelta(days=days_before),
                    )
                )
            for position, (role, title_text) in enumerate(
                [
                    (Signatory.Role.CHAIR, "Ordförande"),
                    (Signatory.Role.HEAD_OF_ADMINISTRATION, "Förvaltningsdirektör"),
                ]
            ):
                self._add(
                    Signatory(
                        pk=self.keys.take(Signatory),
                        response_id=response.pk,
                        name=text.person(rng),
                        role=role,
                        title=title_text,
                        position=position,
                    )
                )
        return response, day

    def _measures(self, recommendation, board, entry, status, day, measures_of, published):
        """Announce measures in the first entry; report on them in every later one. A
        measure says what its latest *published* report and move say, as publishing
        makes it say (``services.publish_response``): a draft's or a handed-in answer's
        report on an earlier answer's measure is written on a copy, which leaves the
        measure as the public read it (a measure it announces is its own)."""
        rng = self.rng
        key = (recommendation.pk, board.pk)
        if key not in measures_of:
            if status == Status.NOT_ACCEPTED:
                measures_of[key] = []
                return
            measures_of[key] = []
            for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
                due = _fuzzy(rng, day + dt.timedelta(days=rng.randint(90, 540)), [25, 40, 20, 15])
                measure = self._add(
                    Measure(
                        pk=self.keys.take(Measure),
                        recommendation_id=recommendation.pk,
                        board_id=board.pk,
                        title=text.measure_title(rng),
                        description=text.narrative(rng, 1),
                        responsible=rng.choice(text.RESPONSIBLES),
                        status=Status.PLANNED,
                        announced_in_id=entry.pk,
                        **_fields("due", due),
                    )
                )
                self._offsets[measure.pk] = rng.choice([-1, 0, 0, 1])
                measures_of[key].append(measure)
        for measure in measures_of[key]:
            if not published and measure.announced_in_id != entry.pk:
                measure = copy.copy(measure)
            current = Status(measure.status)
            if current.is_settled and measure.announced_in_id != entry.pk:
                continue  # reported done or dropped already: nothing more to say
            new = self._measure_status(measure, current, status)
            note = rng.choice(text.PROGRESS_SENTENCES)
            moved = not new.is_settled and measure.due.is_past(day) and rng.random() < 0.6
            if moved:
                self._move_due_date(measure, entry, day)
            measure.status = new
            completed = new == Status.IMPLEMENTED and measure.completed_date is None
            if completed:
                measure.completed_date = period_start(day, Precision.MONTH)
                measure.completed_precision = Precision.MONTH
                if rng.random() < 0.6:
                    measure.effect = rng.choice(text.EFFECTS)
            # The update carries what this round reported besides the status: a new due
            # date, the completion and its effect; nothing when it reported none.
            self._add(
                MeasureUpdate(
                    pk=self.keys.take(MeasureUpdate),
                    measure_id=measure.pk,
                    entry_id=entry.pk,
                    status=new,
                    note=note,
                    **_fields("due", _fuzzy_of(measure, "due") if moved else None),
                    **_fields("completed", _fuzzy_of(measure, "completed") if completed else None),
                    effect=measure.effect if completed else "",
                )
            )

    def _measure_status(self, measure, current: Status, reported: Status) -> Status:
        """A measure moves with its recommendation, a step ahead or behind, never backwards."""
        if reported == Status.NO_LONGER_RELEVANT:
            return Status.NO_LONGER_RELEVANT
        if reported in {Status.NOT_REPORTED, Status.NOT_ACCEPTED, Status.NOT_STARTED}:
            return current
        progress = min(4, max(1, reported.progress + self._offsets[measure.pk], current.progress))
        return _MEASURE_STATUS_BY_PROGRESS[progress]

    def _move_due_date(self, measure, entry, day):
        rng = self.rng
        new = _fuzzy(rng, day + dt.timedelta(days=rng.randint(90, 365)), [25, 40, 20, 15])
        self._add(
            DueDateChange(
                pk=self.keys.take(DueDateChange),
                measure_id=measure.pk,
                previous_date=measure.due_date,
                previous_precision=measure.due_precision,
                new_date=new["start"],
                new_precision=new["precision"],
                reason=rng.choice(
                    [
                        "Arbetet har försenats på grund av omorganisation.",
                        "Upphandlingen av verksamhetssystemet drog ut på tiden.",
                        "Åtgärden samordnas med kommunens nya styrmodell.",
                    ]
                ),
                changed_at=_moment(day),
                entry_id=entry.pk,
            )
        )
        measure.due_date = new["start"]
        measure.due_precision = new["precision"]

    def _assessment(self, recommendation, follow_up, status, day):
        rng = self.rng
        assessed = status
        if rng.random() < 0.25 and status in _FORWARD.values() and status != Status.PLANNED:
            # The auditors see it one step behind the board.
            assessed = next(s for s, after in _FORWARD.items() if after == status)
        self._add(
            AuditorAssessment(
                pk=self.keys.take(AuditorAssessment),
                recommendation_id=recommendation.pk,
                round_id=follow_up.pk,
                status=assessed,
                comment=("Revisionen delar inte nämndens bedömning." if assessed != status else ""),
                assessed_on=min(day + dt.timedelta(days=rng.randint(20, 90)), AS_OF),
            )
        )

"""What is kept on write stays in step with a fresh derivation, whatever the order of writes.

A hypothesis state machine performs random sequences of the writes the product makes, through
the services and model saves its views and admin pages use (never ``queryset.update()``,
which bypasses the signals on purpose): staff start, fill and publish drafts (reporting on
measures, moving their due dates, announcing new ones); admins correct a published answer's
status or a report's, delete responses, answers, reports and moves, add a move in an answer or
on its own, renumber a round, move a published answer to another round and change who a
recommendation is addressed to or answered by; auditors record and delete assessments and
close and reopen recommendations.

After every step:

* the stored standings (``BoardStanding``), each recommendation's status and counts and each
  municipality's counts equal what ``standings.rebuild()`` derives from scratch (in a
  savepoint that is rolled back);
* each measure says what its latest public report says (its status) and is due when its
  latest public move says (README, "Each board's standing, kept on write").

Where the machine found the stored data out of step, the shortest sequence is pinned below as
a plain regression test.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from auditfollowup.lib.dates import FuzzyDate
from recommendations.models import AuditorAssessment, FollowUpRound, Municipality, Recommendation
from recommendations.status import Status
from responses import services, standings
from responses.models import (
    BoardStanding,
    DueDateChange,
    Measure,
    MeasureUpdate,
    Response,
    ResponseEntry,
)
from tests.factories import (
    make_audit,
    make_board,
    make_measure,
    make_recommendation,
    make_round,
    make_user,
)

pytestmark = pytest.mark.django_db

MACHINE = settings(
    max_examples=25,
    stateful_step_count=8,
    deadline=None,  # every step writes to the database and derives everything again
    database=None,  # leave no example files behind in the repository
    derandomize=True,  # the same sequences on every run: a failure here is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

STANDING_FIELDS = ["recommendation_id", "board_id", *standings._STANDING_FIELDS]
MUNICIPALITY_COUNTS = ["audit_count", "recommendation_count", "implemented_count"]

DONE_ON = FuzzyDate.parse("2019-12-01")  # before every decision date below
DUE_DATES = ["2021-03", "2022", "hösten 2023", "2024-05-31", "maj 2025"]
DECISION_DATES = [dt.date(2020, 3, 2), dt.date(2021, 6, 15), dt.date(2022, 9, 30)]
CLOSING_DAYS = [dt.date(2021, 1, 15), dt.date(2023, 11, 1)]
REASON = "Försenad upphandling"

# Indices into whatever exists when the step runs: shrink towards the first one.
which = st.integers(min_value=0, max_value=7)
statuses = st.sampled_from(Status.values)
measure_statuses = st.sampled_from(
    [Status.PLANNED, Status.IN_PROGRESS, Status.IMPLEMENTED, Status.NO_LONGER_RELEVANT]
)
due_dates = st.sampled_from(DUE_DATES)


# ---- Stored versus derived afresh ----


def stored_derived_data() -> dict:
    """Every derived row the standings keep, keyed so that a difference names its row."""
    rows = {}
    for values in BoardStanding.objects.values(*STANDING_FIELDS):
        key = ("standing", values.pop("recommendation_id"), values.pop("board_id"))
        rows[key] = values
    for values in Recommendation.objects.values("pk", *standings._RECOMMENDATION_FIELDS):
        rows[("recommendation", values.pop("pk"))] = values
    for values in Municipality.objects.values("pk", *MUNICIPALITY_COUNTS):
        rows[("municipality", values.pop("pk"))] = values
    return rows


def derived_afresh() -> dict:
    """What ``standings.rebuild()`` derives from nothing, read inside a savepoint that is
    rolled back: the stored rows are left as the writes left them."""
    savepoint = transaction.savepoint()
    try:
        BoardStanding.objects.all().delete()
        # Only in the savepoint thrown away below: what rebuild() starts from.
        Recommendation.objects.update(
            current_status="",
            current_status_rank=len(Status),
            boards_answered=0,
            boards_required=0,
        )
        Municipality.objects.update(audit_count=0, recommendation_count=0, implemented_count=0)
        standings.rebuild()
        return stored_derived_data()
    finally:
        transaction.savepoint_rollback(savepoint)


def differences(stored: dict, fresh: dict) -> list[str]:
    lines = []
    for key in sorted(set(stored) | set(fresh), key=str):
        before, after = stored.get(key), fresh.get(key)
        if before == after:
            continue
        if before is None or after is None:
            lines.append(f"{key}: stored {before}, derived afresh {after}")
            continue
        changed = {
            name: (before[name], after[name]) for name in before if before[name] != after[name]
        }
        lines.append(f"{key}: (stored, derived afresh) {changed}")
    return lines


def assert_standings_equal_a_rebuild() -> None:
    stored, fresh = stored_derived_data(), derived_afresh()
    assert stored == fresh, "\n".join(differences(stored, fresh))


def measures_out_of_step() -> list[str]:
    """Each measure whose status is not its latest public report's, or whose due date is not
    its latest public move's."""
    problems = []
    for measure in Measure.objects.order_by("pk"):
        report = MeasureUpdate.objects.latest_public_of(measure.pk)
        if report is not None and measure.status != report.status:
            problems.append(
                f"measure {measure.pk}: status {measure.status!r}, its latest public report "
                f"{report.pk} says {report.status!r}"
            )
        move = DueDateChange.objects.latest_public_of(measure.pk)
        if move is not None and measure.due != move.new:
            problems.append(
                f"measure {measure.pk}: due {measure.due}, its latest public move {move.pk} "
                f"says {move.new}"
            )
    return problems


def assert_measures_follow_their_latest_report_and_move() -> None:
    problems = measures_out_of_step()
    assert not problems, "\n".join(problems)


def open_measures_out_of_step() -> list[str]:
    """Each standing whose open measures, or earliest due date, are not the board's
    measures serving its recommendation that are open there by the one rule of an open
    measure (``MeasureQuerySet.open``, ``Measure.is_open`` under the recommendation, as
    its page shows them): none, and no due date, on a closed recommendation."""
    problems = []
    for standing in BoardStanding.objects.select_related("recommendation").order_by("pk"):
        rec = standing.recommendation
        measures = Measure.objects.serving(rec).open().filter(board_id=standing.board_id)
        opened = [m for m in measures.select_related("recommendation") if m.is_open(under=rec)]
        expected = (len(opened), min((m.due.end for m in opened if m.due), default=None))
        if (standing.open_measures, standing.next_due_end) != expected:
            problems.append(
                f"{standing} (recommendation closed: {rec.is_closed}): open measures and "
                f"earliest due end {(standing.open_measures, standing.next_due_end)}, "
                f"open by the rule {expected}"
            )
    return problems


def assert_standings_count_the_open_measures() -> None:
    problems = open_measures_out_of_step()
    assert not problems, "\n".join(problems)


# ---- The world and the product's writes, shared by the machine and the regression tests ----


class Product:
    """A small municipality's audit, and the writes staff, auditors and admins make to it."""

    def __init__(self):
        self.asn = make_board(short_code="ASN")
        self.sn = make_board(short_code="SN")
        self.boards = [self.asn, self.sn]
        self.audit = make_audit(boards=self.boards, conducted_from="2018")
        self.rounds = [make_round(self.audit, sequence=sequence) for sequence in (1, 2, 3, 4, 5)]
        # One recommendation for each board, and one addressed to both that SN answers.
        self.rec1 = make_recommendation(self.audit, addressed_to=[self.asn])
        self.rec2 = make_recommendation(
            self.audit, addressed_to=[self.asn, self.sn], answered_by=[self.sn]
        )
        self.rec3 = make_recommendation(self.audit, addressed_to=[self.sn])
        self.recommendations = [self.rec1, self.rec2, self.rec3]
        self.user = make_user("handlaggare")
        first, second, third, fourth = self.rounds[:4]  # the fifth is still unanswered
        # Round 1 answered and published by both boards, each announcing a measure.
        self.start_and_publish(
            self.asn, first, Status.PLANNED, new_measure=(Status.PLANNED, "2022")
        )
        self.start_and_publish(
            self.sn, first, Status.IN_PROGRESS, new_measure=(Status.IN_PROGRESS, "hösten 2023")
        )
        # ASN reports on its measure in rounds 2 and 3, moving its due date each time, and
        # has a draft in round 4; nobody has answered round 5 yet.
        self.asn_measure = Measure.objects.get(board=self.asn)
        for round_, status, due, decided in (
            (second, Status.IN_PROGRESS, "2024-05-31", DECISION_DATES[1]),
            (third, Status.PARTLY_IMPLEMENTED, "maj 2025", DECISION_DATES[2]),
        ):
            draft = self.start_draft(self.asn, round_)
            measure = Measure.objects.get(pk=self.asn_measure.pk)
            self.save_draft(draft, self.rec1, status, report=(measure, Status.IN_PROGRESS, due))
            self.publish(draft, status, decided)
        self.save_draft(self.start_draft(self.asn, fourth), self.rec1, Status.IMPLEMENTED)
        # A measure imported from the documents (announced in no answer), moved by an admin.
        imported = make_measure(
            self.rec1, board=self.asn, status=Status.IN_PROGRESS, due="2024-05-31"
        )
        self.move_due_date(imported, "2021-03")

    # -- staff --

    def start_draft(self, board, round_) -> Response:
        return services.start_response(board=board, round=round_, user=self.user)

    def save_draft(self, draft, recommendation, status, *, report=None, new_measure=None):
        """Staff save the edit page with ``recommendation`` answered: optionally a report on
        ``report`` = (measure, status, due) (a changed due date is a move, with its reason),
        and a new measure ``new_measure`` = (status, due)."""
        draft = Response.objects.get(pk=draft.pk)
        reports, new = [], []
        if report is not None:
            measure, measure_status, due = report
            due = FuzzyDate.parse(due) if due else measure.due
            reports.append(
                services.MeasureInput(
                    measure=measure,
                    recommendation=recommendation,
                    status=measure_status,
                    note="",
                    due=due,
                    due_reason=REASON if due != measure.due else "",
                    completed=DONE_ON if measure_status == Status.IMPLEMENTED else None,
                    effect="",
                )
            )
        if new_measure is not None:
            measure_status, due = new_measure
            new.append(
                services.NewMeasureInput(
                    recommendation=recommendation,
                    title="Ny åtgärd",
                    responsible="Enheten",
                    due=FuzzyDate.parse(due),
                    status=measure_status,
                    completed=DONE_ON if measure_status == Status.IMPLEMENTED else None,
                    effect="",
                )
            )
        services.save_response(
            response=draft,
            expected_version=draft.version,
            user=self.user,
            title=draft.title,
            addressed_to=draft.addressed_to,
            summary=draft.summary,
            entries=[services.EntryInput(recommendation, status, "")],
            measure_updates=reports,
            new_measures=new,
        )

    def publish(self, draft, status=Status.IN_PROGRESS, decided=DECISION_DATES[0]) -> Response:
        """Staff answer what the draft still leaves unanswered, with ``status``, and
        publish it on the publish page."""
        draft = Response.objects.get(pk=draft.pk)
        missing = services.unanswered_recommendations(draft)
        if missing:
            services.save_response(
                response=draft,
                expected_version=draft.version,
                user=self.user,
                title=draft.title,
                addressed_to=draft.addressed_to,
                summary=draft.summary,
                entries=[services.EntryInput(rec, status, "") for rec in missing],
                measure_updates=[],
                new_measures=[],
            )
            draft.refresh_from_db()
        return services.publish_response(
            response=draft,
            expected_version=draft.version,
            user=self.user,
            decision_date=decided,
            diary_number=f"{draft.board.short_code}-{draft.pk}",
        )

    def start_and_publish(self, board, round_, status, *, new_measure=None, decided=None):
        draft = self.start_draft(board, round_)
        answers = Recommendation.objects.filter(audit=self.audit).answered_by_board(board)
        first = answers.order_by("position").first()
        self.save_draft(draft, first, status, new_measure=new_measure)
        return self.publish(draft, status, decided or DECISION_DATES[0])

    # -- admins --

    @staticmethod
    def correct_entry(entry, status) -> None:
        """An admin corrects the board's status in a published answer."""
        admin_saves(entry, status=status)

    @staticmethod
    def correct_report(report, status) -> None:
        """An admin corrects a published report's status (its admin page: saved, then passed
        on to the measure where it is its latest public report)."""
        done = DONE_ON if status == Status.IMPLEMENTED else None
        report = admin_saves(report, status=status, completed=done)
        if report.corrects_its_measure():
            services.correct_measure_from_report(report)

    def move_due_date(self, measure, new, entry=None) -> DueDateChange:
        """An admin records a move of a measure's due date: in an answer, or on its own."""
        measure = Measure.objects.get(pk=measure.pk)
        change = DueDateChange(
            measure=measure,
            reason=REASON,
            changed_at=timezone.now(),
            changed_by=self.user,
            entry=entry,
        )
        change.previous, change.new = measure.due, FuzzyDate.parse(new)
        change.full_clean()
        change.save()
        return change

    @staticmethod
    def renumber(round_, sequence) -> None:
        admin_saves(round_, sequence=sequence)

    @staticmethod
    def move_to_round(response, round_) -> None:
        """An admin finds a published answer was given in another round."""
        admin_saves(response, round=round_)

    # -- auditors --

    def assess(self, recommendation, round_, status) -> None:
        AuditorAssessment.record(
            recommendation=recommendation, round=round_, status=status, comment="", user=self.user
        )

    def close(self, recommendation, day) -> None:
        recommendation = Recommendation.objects.get(pk=recommendation.pk)
        recommendation.close(day, "Åtgärdat enligt revisionen", self.user)

    @staticmethod
    def reopen(recommendation) -> None:
        Recommendation.objects.get(pk=recommendation.pk).reopen()


def admin_saves(obj, **values):
    """An admin's change of ``values`` on ``obj`` as stored: read afresh, validated, saved
    like the admin's form saves it (signals and all). Returns the saved object."""
    obj = type(obj).objects.get(pk=obj.pk)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


def pick(items, index):
    """The item ``index`` points at (modulo their number): shrinks towards the first."""
    items = list(items)
    return items[index % len(items)] if items else None


def published_responses():
    return Response.objects.published().order_by("pk")


def published_entries():
    return ResponseEntry.objects.published().order_by("pk")


def public_reports():
    return MeasureUpdate.objects.in_public_answers().order_by("pk")


def public_moves():
    return DueDateChange.objects.public().order_by("pk")


def drafts():
    return Response.objects.drafts().order_by("pk")


class DerivedDataMachine(RuleBasedStateMachine):
    """Random writes through the product's own paths, the derived data checked after each.
    Each example starts from ``world`` and is rolled back to it."""

    # The world every example starts from, built once by the test that runs the machine.
    world: Product

    def __init__(self):
        super().__init__()
        self.product = self.world
        self._savepoint = transaction.savepoint()

    def teardown(self):
        transaction.savepoint_rollback(self._savepoint)

    def free_places(self):
        """(board, round) where the board has no response yet."""
        taken = set(Response.objects.values_list("board_id", "round_id"))
        return [
            (board, round_)
            for round_ in FollowUpRound.objects.filter(audit=self.product.audit).order_by("pk")
            for board in self.product.boards
            if (board.pk, round_.pk) not in taken
        ]

    def concerned(self, board):
        """The recommendations the board's edit page lists: addressed to it or answered by it."""
        return Recommendation.objects.filter(
            audit=self.product.audit, standings__board=board
        ).order_by("position")

    @staticmethod
    def measure_to_report(draft, recommendation, index):
        """A public measure of the draft's board whose main recommendation this is (a
        measure the draft announced itself is corrected, not reported on)."""
        return pick(
            Measure.objects.reportable_in(draft)
            .filter(recommendation=recommendation)
            .exclude(announced_in__response=draft)
            .order_by("pk"),
            index,
        )

    # -- staff --

    @rule(place=which)
    def staff_start_a_draft(self, place):
        if free := self.free_places():
            self.product.start_draft(*pick(free, place))

    @precondition(lambda self: drafts().exists())
    @rule(
        draft=which,
        recommendation=which,
        status=statuses,
        report=st.none() | st.tuples(which, measure_statuses, st.none() | due_dates),
        new_measure=st.none() | st.tuples(measure_statuses, due_dates),
    )
    def staff_save_an_answer_in_a_draft(self, draft, recommendation, status, report, new_measure):
        draft = pick(drafts(), draft)
        recommendation = pick(self.concerned(draft.board), recommendation)
        if recommendation is None:
            return
        if report is not None:
            measure = self.measure_to_report(draft, recommendation, report[0])
            report = (measure, *report[1:]) if measure else None
        self.product.save_draft(
            draft, recommendation, status, report=report, new_measure=new_measure
        )

    @precondition(lambda self: drafts().exists())
    @rule(draft=which, status=statuses, decided=st.sampled_from(DECISION_DATES))
    def staff_publish_a_draft(self, draft, status, decided):
        self.product.publish(pick(drafts(), draft), status, decided)

    @rule(
        place=which,
        status=statuses,
        report=st.tuples(which, measure_statuses, st.none() | due_dates),
        decided=st.sampled_from(DECISION_DATES),
    )
    def staff_answer_a_round_and_publish_at_once(self, place, status, report, decided):
        """The whole journey in one step: start a draft, answer, report on a measure (moving
        its due date or not), publish."""
        if not (free := self.free_places()):
            return
        draft = self.product.start_draft(*pick(free, place))
        recommendation = self.concerned(draft.board).first()
        if recommendation is not None:
            measure = self.measure_to_report(draft, recommendation, report[0])
            self.product.save_draft(
                draft,
                recommendation,
                status,
                report=(measure, *report[1:]) if measure else None,
            )
        self.product.publish(draft, status, decided)

    # -- admins --

    @precondition(lambda self: published_entries().exists())
    @rule(entry=which, status=statuses)
    def admin_corrects_the_status_of_a_published_answer(self, entry, status):
        self.product.correct_entry(pick(published_entries(), entry), status)

    @precondition(lambda self: public_reports().exists())
    @rule(report=which, status=measure_statuses)
    def admin_corrects_the_status_of_a_published_report(self, report, status):
        self.product.correct_report(pick(public_reports(), report), status)

    @precondition(lambda self: published_responses().exists())
    @rule(response=which)
    def admin_deletes_a_published_response(self, response):
        pick(published_responses(), response).delete()

    @precondition(lambda self: published_entries().exists())
    @rule(entry=which)
    def admin_deletes_a_published_answer(self, entry):
        pick(published_entries(), entry).delete()

    @precondition(lambda self: public_reports().exists())
    @rule(report=which)
    def admin_deletes_a_published_report(self, report):
        pick(public_reports(), report).delete()

    @precondition(lambda self: public_moves().exists())
    @rule(move=which)
    def admin_deletes_a_move_of_a_due_date(self, move):
        pick(public_moves(), move).delete()

    @precondition(lambda self: Measure.objects.public().exists())
    @rule(measure=which, in_answer=st.booleans(), entry=which, new=due_dates)
    def admin_moves_a_due_date(self, measure, in_answer, entry, new):
        """In one of the board's published answers to the measure's recommendation, or on
        its own (no answer)."""
        measure = pick(Measure.objects.public().order_by("pk"), measure)
        answer = None
        if in_answer:
            answer = pick(
                published_entries().filter(
                    response__board=measure.board, recommendation=measure.recommendation
                ),
                entry,
            )
        self.product.move_due_date(measure, new, answer)

    @rule(round_=which, place=st.sampled_from(["first", "last"]))
    def admin_renumbers_a_round(self, round_, place):
        rounds = FollowUpRound.objects.filter(audit=self.product.audit).order_by("pk")
        sequences = sorted(rounds.values_list("sequence", flat=True))
        sequence = sequences[0] - 1 if place == "first" else sequences[-1] + 1
        if sequence >= 0:
            self.product.renumber(pick(rounds, round_), sequence)

    @precondition(lambda self: published_responses().exists())
    @rule(response=which, round_=which)
    def admin_moves_a_published_response_to_another_round(self, response, round_):
        response = pick(published_responses(), response)
        free = FollowUpRound.objects.filter(audit=self.product.audit).exclude(
            responses__board=response.board
        )
        if (target := pick(free.order_by("pk"), round_)) is not None:
            self.product.move_to_round(response, target)

    @rule(recommendation=which, boards=st.sets(st.sampled_from([0, 1])))
    def admin_sets_who_answers_a_recommendation(self, recommendation, boards):
        recommendation = pick(self.product.recommendations, recommendation)
        recommendation.answered_by.set([self.product.boards[i] for i in sorted(boards)])

    @rule(recommendation=which, boards=st.sampled_from([(0,), (1,), (0, 1)]))
    def admin_sets_who_a_recommendation_is_addressed_to(self, recommendation, boards):
        recommendation = pick(self.product.recommendations, recommendation)
        recommendation.addressed_to.set([self.product.boards[i] for i in boards])

    # -- auditors --

    @rule(recommendation=which, round_=which, status=statuses)
    def auditors_record_an_assessment(self, recommendation, round_, status):
        rounds = FollowUpRound.objects.filter(audit=self.product.audit).order_by("pk")
        self.product.assess(
            pick(self.product.recommendations, recommendation), pick(rounds, round_), status
        )

    @precondition(lambda self: AuditorAssessment.objects.exists())
    @rule(assessment=which)
    def admin_deletes_an_assessment(self, assessment):
        pick(AuditorAssessment.objects.order_by("pk"), assessment).delete()

    @rule(recommendation=which, day=st.sampled_from(CLOSING_DAYS))
    def auditors_close_a_recommendation(self, recommendation, day):
        self.product.close(pick(self.product.recommendations, recommendation), day)

    @precondition(lambda self: Recommendation.objects.filter(closed_on__isnull=False).exists())
    @rule(recommendation=which)
    def admin_reopens_a_recommendation(self, recommendation):
        closed = Recommendation.objects.filter(closed_on__isnull=False).order_by("pk")
        self.product.reopen(pick(closed, recommendation))

    # -- what must hold after every step --

    @invariant()
    def standings_equal_a_fresh_derivation(self):
        assert_standings_equal_a_rebuild()

    @invariant()
    def measures_follow_their_latest_public_report_and_move(self):
        assert_measures_follow_their_latest_report_and_move()

    @invariant()
    def standings_count_the_measures_open_by_the_one_rule(self):
        assert_standings_count_the_open_measures()


def test_random_writes_keep_the_derived_data_equal_to_a_fresh_derivation():
    """Whatever staff, auditors and admins do, in whatever order, the standings, the
    recommendations' and municipalities' counts and the measures equal what a fresh
    derivation says."""
    DerivedDataMachine.world = Product()
    run_state_machine_as_test(DerivedDataMachine, settings=MACHINE)


def test_the_world_the_machine_starts_from_is_in_step():
    """The machine starts from data that is in step, so any difference is a step's doing."""
    Product()
    assert_standings_equal_a_rebuild()
    assert_measures_follow_their_latest_report_and_move()


# ---- The drifts the machine found, each as its shortest sequence ----
# In the world above, ASN's measure was announced in round 1 (due 2022) and moved in round 2
# (to 2024-05-31) and round 3 (to May 2025): it is due May 2025. SN's measure (due autumn
# 2023) was announced in round 1, and SN has answered no other round.


def asn_answer(product, round_index) -> Response:
    return Response.objects.get(board=product.asn, round=product.rounds[round_index])


def sn_publishes(product, round_index, move_to=None) -> Response:
    """SN answers a round and reports on its measure, moving its due date to ``move_to``."""
    measure = Measure.objects.get(board=product.sn)
    draft = product.start_draft(product.sn, product.rounds[round_index])
    report = (measure, Status.IN_PROGRESS, move_to)
    product.save_draft(draft, product.rec2, Status.IN_PROGRESS, report=report)
    return product.publish(draft)


def test_renumbering_a_round_makes_a_measure_due_when_its_new_latest_move_says():
    """Round 3 renumbered first: round 2's move becomes the latest, and the measure is due
    when it says (2024-05-31), not when round 3's did."""
    product = Product()
    product.renumber(product.rounds[2], 0)

    assert_measures_follow_their_latest_report_and_move()


def test_moving_a_published_answer_to_a_later_round_makes_its_move_the_latest():
    """Round 2's answer moved to round 5: its move is now the latest, and the measure is due
    when it says."""
    product = Product()
    product.move_to_round(asn_answer(product, 1), product.rounds[4])

    assert_measures_follow_their_latest_report_and_move()


def test_an_admin_move_made_while_a_draft_waits_and_the_drafts_move_agree_on_the_latest():
    """Staff move a due date in a draft; an admin moves it on its own before the draft is
    published. Publishing leaves the measure due when its latest public move says."""
    product = Product()
    measure = Measure.objects.get(pk=product.asn_measure.pk)
    report = (measure, Status.IN_PROGRESS, "2022")
    product.save_draft(asn_answer(product, 3), product.rec1, Status.IN_PROGRESS, report=report)
    product.move_due_date(measure, "hösten 2023")
    product.publish(asn_answer(product, 3))

    assert_measures_follow_their_latest_report_and_move()


def test_an_earlier_rounds_answer_published_late_with_a_move_leaves_the_measure_in_step():
    """SN answers round 3 without moving its measure's date, then a paper answer of round 2
    that moves it is entered and published: its move is the measure's only one, and the
    measure is due when it says."""
    product = Product()
    sn_publishes(product, 2)
    sn_publishes(product, 1, move_to="2021-03")

    assert_measures_follow_their_latest_report_and_move()


def test_deleting_a_published_response_keeps_its_moves_and_the_measure_in_step():
    """A late paper answer's move is kept, as if made on its own, when its response is
    deleted; the measure is due when its latest public move says."""
    product = Product()
    sn_publishes(product, 2, move_to="2022")
    late = sn_publishes(product, 1, move_to="2021-03")

    late.delete()

    assert_measures_follow_their_latest_report_and_move()


def test_deleting_the_answer_an_admin_recorded_a_move_in_leaves_the_measure_in_step():
    """An admin records a move in ASN's first answer (not the latest: the measure stays due
    May 2025) and then deletes that answer: the move stays, public, with no answer, and is
    now the latest (made last), so the measure is due autumn 2023."""
    product = Product()
    first_answer = asn_answer(product, 0).entries.get(recommendation=product.rec1)
    product.move_due_date(product.asn_measure, "hösten 2023", first_answer)
    assert_measures_follow_their_latest_report_and_move()

    first_answer.delete()

    assert_measures_follow_their_latest_report_and_move()


def test_deleting_a_late_answer_that_moved_a_due_date_leaves_the_measure_in_step():
    """SN moves its measure in round 3 (to 2022), then a late paper answer of round 2 moves
    it too (to March 2021, not the latest). Deleting that answer alone keeps its move with no
    answer, dated at its publication, the latest now: the measure is due March 2021."""
    product = Product()
    sn_publishes(product, 2, move_to="2022")
    late = sn_publishes(product, 1, move_to="2021-03")
    assert_measures_follow_their_latest_report_and_move()

    late.entries.get(recommendation=product.rec2).delete()

    assert_measures_follow_their_latest_report_and_move()

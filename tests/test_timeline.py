"""The timeline rules: status change, narrative diff, repeats, overdue, disagreement."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from auditfollowup.lib.dates import FuzzyDate
from recommendations.models import Recommendation
from recommendations.status import Status
from recommendations.timeline import (
    REPEAT_THRESHOLD,
    build_matrix,
    build_timeline,
    matrix_recommendations,
    timeline_recommendations,
    word_diff,
)
from responses.models import BoardStanding, DueDateChange
from tests.factories import (
    make_assessment,
    make_audit,
    make_board,
    make_entry,
    make_measure,
    make_recommendation,
    make_response,
    make_round,
    make_tracked_audit,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2021, 1, 1)


def timeline_of(recommendation, user=None, today=TODAY):
    (fetched,) = timeline_recommendations(
        Recommendation.objects.filter(pk=recommendation.pk), user or AnonymousUser()
    )
    return build_timeline(fetched, today)


def test_word_diff_marks_inserted_and_deleted_words():
    segments, ratio = word_diff("arbetet har inte startat", "arbetet har startat i maj")
    assert ("delete", "inte") in segments
    assert ("insert", "i maj") in segments
    assert 0 < ratio < 1


def test_it_orders_entries_by_round_and_compares_with_the_previous_one():
    world = make_tracked_audit(n_recommendations=1)
    timeline = timeline_of(world.recommendations[0])
    first, second = timeline.entries
    assert first.date.start.year == 2019
    assert second.date.start.year == 2020
    assert first.status_change == "first"
    assert second.status_change == "forward"
    assert timeline.current_status == Status.IN_PROGRESS


def test_it_flags_an_answer_that_repeats_the_previous_round():
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    third = make_round(world.audit, sequence=3)
    text = (
        "Arbetsgruppen har startat och kartlagt insatserna. Under hösten tar vi fram "
        "en rutin för uppföljning som beslutas av nämnden i december."
    )
    rec.entries.filter(response=world.responses[1]).update(narrative=text)
    make_entry(
        make_response(board=world.board, round=third, decision_date=dt.date(2021, 10, 1)),
        rec,
        status=Status.IN_PROGRESS,
        narrative=text.replace("kartlagt", "kartlägger"),
    )
    timeline = timeline_of(rec, today=dt.date(2022, 1, 1))
    assert not timeline.entries[1].is_repeat
    assert timeline.entries[2].similarity >= REPEAT_THRESHOLD
    assert timeline.entries[2].is_repeat
    assert timeline.entries[2].status_change == "same"


def test_it_shows_where_the_auditors_disagree_with_the_board():
    world = make_tracked_audit(n_recommendations=1)
    timeline = timeline_of(world.recommendations[0])
    assert timeline.entries[1].disagrees  # board: in progress, auditors: partly implemented
    make_assessment(world.recommendations[0], world.rounds[0], status=Status.PLANNED)
    assert not timeline_of(world.recommendations[0]).entries[0].disagrees


def test_the_timeline_the_matrix_and_the_boards_standing_agree_on_a_disagreement():
    """One rule (``AuditorAssessment.disagrees``): in 2019 the auditors agree with the
    board (planned), in 2020 they judge partly implemented where it says in progress. The
    timeline and the matrix mark the same round; the board's standing, which keeps the
    latest of each, marks it too."""
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    make_assessment(rec, world.rounds[0], status=Status.PLANNED)
    first, second = (round_.pk for round_ in world.rounds)

    timeline = timeline_of(rec)
    (group,) = build_matrix(
        matrix_recommendations(Recommendation.objects.filter(pk=rec.pk), AnonymousUser())
    )
    (row,) = group.rows

    in_timeline = {step.response.round_id: step.disagrees for step in timeline.entries}
    in_matrix = {cell.round_id: cell.disagrees for cell in row.cells if cell}
    assert in_timeline == in_matrix == {first: False, second: True}
    assert BoardStanding.objects.get(recommendation=rec, board=world.board).disagrees


def test_a_measure_is_overdue_only_after_its_whole_due_period():
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    make_measure(rec, board=world.board, due="maj 2026", title="Senare")
    in_may = timeline_of(rec, today=dt.date(2026, 5, 31))
    states = {state.measure.title: state for state in in_may.measures}
    assert not states["Senare"].is_overdue
    assert states[f"Arbetsgrupp {rec.pk}"].is_overdue
    assert (
        states[f"Arbetsgrupp {rec.pk}"].days_overdue
        == (dt.date(2026, 5, 31) - dt.date(2020, 6, 30)).days
    )
    in_june = timeline_of(rec, today=dt.date(2026, 6, 1))
    assert {s.measure.title: s for s in in_june.measures}["Senare"].days_overdue == 1


def test_it_leaves_out_draft_answers_and_their_measures_for_the_public():
    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    rec = world.recommendations[0]
    draft_entry = rec.entries.get(response=world.draft)
    make_measure(rec, board=world.board, title="Utkastets åtgärd", announced_in=draft_entry)
    timeline = timeline_of(rec)
    assert [step.response for step in timeline.entries] == world.responses
    assert "Utkastets åtgärd" not in [state.measure.title for state in timeline.measures]


def test_a_measures_moves_are_listed_in_the_order_its_due_date_comes_from():
    """Round 1's answer recorded after round 2's: an earlier answer, it moves nothing,
    and the list of moves ends with round 2's, which the due date beside it says."""
    board = make_board(short_code="ASN")
    audit = make_audit(boards=[board])
    rec = make_recommendation(audit, addressed_to=[board])
    first, second = make_round(audit, sequence=1), make_round(audit, sequence=2)
    in_round_1 = make_entry(make_response(board=board, round=first), rec)
    in_round_2 = make_entry(make_response(board=board, round=second), rec)
    measure = make_measure(rec, board=board, due="2026")
    now = timezone.now()

    def move(entry, previous, new, days_ago):
        change = DueDateChange(
            measure=measure, entry=entry, reason="Ny plan.", changed_at=now - dt.timedelta(days_ago)
        )
        change.previous, change.new = FuzzyDate.parse(previous), FuzzyDate.parse(new)
        change.save()
        return change

    latest = move(in_round_2, "2025", "2026", days_ago=10)
    recorded_late = move(in_round_1, "2025", "juni 2025", days_ago=1)

    (state,) = timeline_of(rec).measures

    assert state.due_date_changes == [recorded_late, latest]
    assert state.due == latest.new == FuzzyDate.parse("2026")

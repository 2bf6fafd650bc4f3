"""Who answers a recommendation, one rule (``RecommendationQuerySet.answered_by_board``):
the boards named to answer it, or where none is named, the boards it is addressed to. The
staff pages accept and require a response from exactly those boards, the auditors' list of
missing responses (and so the reminders) chases exactly those boards, and "n of m boards
answered" waits for exactly those (``BoardStanding.must_answer``)."""

import datetime as dt

import pytest

from recommendations import attention
from recommendations.models import Board, FollowUpRound
from recommendations.status import Status
from responses.forms import StartResponseForm
from responses.models import BoardStanding
from tests.factories import (
    make_audit,
    make_entry,
    make_recommendation,
    make_response,
    make_round,
)

pytestmark = pytest.mark.django_db
LONG_AFTER = dt.date(2025, 1, 1)


def _late_round(world):
    audit = make_audit(municipality=world.municipality, boards=[world.board_a, world.board_b])
    return audit, make_round(audit, sequence=1, deadline="2020-01-31")


def _may_start(board, round_) -> bool:
    form = StartResponseForm(
        {"board": board.pk, "round": round_.pk},
        boards=Board.objects.all(),
        rounds=FollowUpRound.objects.all(),
    )
    return form.is_valid()


def _chased(world):
    return {(m.round, m.board) for m in attention.missing_responses(LONG_AFTER, world.auditor)}


def test_a_board_named_to_answer_for_another_board_is_chased_and_the_addressee_is_not(world):
    # As in SR 2018:71: addressed to the municipal board, answered by the service board.
    audit, late = _late_round(world)
    make_recommendation(audit, addressed_to=[world.board_b], answered_by=[world.board_a])

    assert _chased(world) == {(late, world.board_a)}
    assert _may_start(world.board_a, late)
    assert not _may_start(world.board_b, late)

    make_response(board=world.board_a, round=late, decision_date=dt.date(2020, 1, 15))
    assert _chased(world) == set()


def test_without_a_board_named_the_addressees_answer(world):
    audit, late = _late_round(world)
    recommendation = make_recommendation(audit, addressed_to=[world.board_b])

    assert _chased(world) == {(late, world.board_b)}
    assert _may_start(world.board_b, late)
    assert not _may_start(world.board_a, late)
    assert list(audit.recommendations.answered_by_board(world.board_b)) == [recommendation]


def test_a_recommendation_answered_by_its_addressee_and_another_is_listed_once(world):
    audit, late = _late_round(world)
    both = make_recommendation(
        audit,
        addressed_to=[world.board_a, world.board_b],
        answered_by=[world.board_a, world.board_b],
    )

    assert list(audit.recommendations.answered_by_board(world.board_a)) == [both]
    assert _chased(world) == {(late, world.board_a), (late, world.board_b)}
    assert len(attention.missing_responses(LONG_AFTER, world.auditor)) == 2


def test_closed_recommendations_chase_nobody(world):
    audit, _late = _late_round(world)
    make_recommendation(audit, addressed_to=[world.board_a], closed_on=dt.date(2019, 6, 1))

    assert _chased(world) == set()


def test_an_addressee_that_leaves_the_answer_to_another_board_owes_none(client, world):
    audit, late = _late_round(world)
    recommendation = make_recommendation(
        audit, addressed_to=[world.board_b], answered_by=[world.board_a]
    )
    response = make_response(board=world.board_a, round=late, decision_date=dt.date(2020, 1, 15))
    make_entry(response, recommendation, status=Status.IN_PROGRESS)

    recommendation.refresh_from_db()
    owes = {
        s.board: s.must_answer for s in BoardStanding.objects.filter(recommendation=recommendation)
    }
    page = client.get(recommendation.get_absolute_url()).content.decode()

    assert owes == {world.board_a: True, world.board_b: False}
    assert (recommendation.boards_answered, recommendation.boards_required) == (1, 1)
    assert "Besvaras av en annan nämnd" in page
    assert "Har inte svarat än" not in page


def test_a_named_board_that_has_not_answered_is_still_waited_for(client, world):
    audit, _late = _late_round(world)
    recommendation = make_recommendation(
        audit, addressed_to=[world.board_b], answered_by=[world.board_a, world.board_b]
    )

    recommendation.refresh_from_db()
    page = client.get(recommendation.get_absolute_url()).content.decode()

    assert (recommendation.boards_answered, recommendation.boards_required) == (0, 2)
    assert page.count("Har inte svarat än") == 2

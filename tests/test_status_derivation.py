"""A recommendation's current status comes from its latest published entry, in one query."""

import datetime as dt

import pytest

from recommendations.models import AuditorAssessment, FollowUpRound, Recommendation
from recommendations.status import Status
from responses.models import Response, ResponseEntry

pytestmark = pytest.mark.django_db


def add_round_response(sequence, status, *, state=Response.State.PUBLISHED, decided=None):
    """A second (or later) round's response from the test board, answering recommendation 9001."""
    round_ = FollowUpRound.objects.get_or_create(
        audit_id=9001,
        sequence=sequence,
        defaults={"kind": FollowUpRound.Kind.STATUS_DESCRIPTION, "title": f"Omgång {sequence}"},
    )[0]
    response = Response.objects.create(
        board_id=9001,
        round=round_,
        title=f"Yttrande {sequence}",
        state=state,
        decision_date=decided or dt.date(2019 + sequence, 9, 30),
    )
    return ResponseEntry.objects.create(
        response=response, recommendation_id=9001, status=status, narrative="…"
    )


def current(**options):
    return Recommendation.objects.with_current_status(**options).get(pk=9001)


def test_the_current_status_is_the_status_of_the_latest_round(minimal_data):
    add_round_response(2, Status.IN_PROGRESS)
    add_round_response(3, Status.IMPLEMENTED)

    recommendation = current()

    assert recommendation.current_status == Status.IMPLEMENTED
    assert recommendation.current_round == 3


def test_a_draft_does_not_change_the_public_current_status(minimal_data):
    add_round_response(2, Status.IMPLEMENTED, state=Response.State.DRAFT)

    assert current().current_status == Status.PLANNED
    assert current(published_only=False).current_status == Status.IMPLEMENTED


def test_a_recommendation_without_answers_has_no_current_status(minimal_data):
    ResponseEntry.objects.all().delete()

    assert current().current_status is None


def test_the_auditors_latest_assessment_is_annotated_beside_the_boards_status(minimal_data):
    add_round_response(2, Status.IMPLEMENTED)
    AuditorAssessment.objects.create(
        recommendation_id=9001,
        round=FollowUpRound.objects.get(sequence=2),
        status=Status.PARTLY_IMPLEMENTED,
        assessed_on=dt.date(2021, 1, 15),
    )

    recommendation = Recommendation.objects.with_current_status().with_latest_assessment().get()

    assert recommendation.current_status == Status.IMPLEMENTED
    assert recommendation.assessed_status == Status.PARTLY_IMPLEMENTED


def test_the_list_costs_one_query_whatever_its_length(minimal_data, django_assert_num_queries):
    for position in range(2, 12):
        Recommendation.objects.create(audit_id=9001, position=position, text=f"R {position}")

    with django_assert_num_queries(1):
        statuses = [r.current_status for r in Recommendation.objects.with_current_status()]

    assert statuses.count(Status.PLANNED) == 1


def test_every_status_has_a_label_a_symbol_and_a_description():
    for status in Status:
        assert status.label and status.symbol and status.description
    assert {s for s in Status if s.is_settled} == {Status.IMPLEMENTED, Status.NO_LONGER_RELEVANT}

"""A measure is one row for its whole life; each round's report about it is kept."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from auditfollowup.lib.dates import FuzzyDate
from recommendations.models import FollowUpRound
from recommendations.status import Status
from responses.models import DueDateChange, Measure, MeasureUpdate, Response, ResponseEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_round_entry(minimal_data):
    response = Response.objects.create(
        board_id=9001,
        round=FollowUpRound.objects.get(sequence=2),
        title="Lägesbeskrivning",
        state=Response.State.PUBLISHED,
        decision_date=dt.date(2020, 10, 1),
    )
    return ResponseEntry.objects.create(
        response=response, recommendation_id=9001, status=Status.IMPLEMENTED
    )


def test_a_measure_reported_in_two_rounds_is_one_measure_with_two_updates(second_round_entry):
    measure = Measure.objects.get()
    MeasureUpdate.objects.create(
        measure=measure, entry=second_round_entry, status=Status.IMPLEMENTED, note="Klart."
    )

    updates = list(measure.updates.order_by("entry__response__round__sequence"))

    assert Measure.objects.count() == 1
    assert [u.status for u in updates] == [Status.PLANNED, Status.IMPLEMENTED]
    assert updates[0].entry.response.round.sequence == 1


def test_an_update_must_concern_the_measures_own_recommendation(second_round_entry):
    measure = Measure.objects.get()
    measure.recommendation = measure.recommendation.audit.recommendations.create(
        position=2, text="En annan rekommendation."
    )
    update = MeasureUpdate(measure=measure, entry=second_round_entry, status=Status.IN_PROGRESS)

    with pytest.raises(ValidationError) as error:
        update.full_clean()

    assert "entry" in error.value.message_dict


def test_an_unsettled_measure_past_its_due_period_is_overdue(minimal_data):
    measure = Measure.objects.get()  # due "juni 2019", planned

    assert measure.is_overdue(dt.date(2019, 7, 1))
    assert not measure.is_overdue(dt.date(2019, 6, 30))
    assert list(Measure.objects.overdue(dt.date(2019, 7, 1))) == [measure]


def test_an_overdue_measure_counts_its_days_from_the_end_of_its_due_period(minimal_data):
    measure = Measure.objects.get()  # due "juni 2019", planned

    assert measure.days_overdue(dt.date(2019, 6, 30)) == 0
    assert measure.days_overdue(dt.date(2019, 7, 11)) == 11


def test_a_measure_of_a_closed_recommendation_is_no_days_overdue(minimal_data):
    measure = Measure.objects.get()
    measure.recommendation.closed_on = dt.date(2019, 6, 15)

    assert measure.days_overdue(dt.date(2019, 7, 11), under=measure.recommendation) == 0


def test_a_settled_measure_is_never_overdue(minimal_data):
    Measure.objects.update(
        status=Status.IMPLEMENTED, completed_date=dt.date(2019, 6, 1), completed_precision="month"
    )

    assert not Measure.objects.overdue(dt.date(2030, 1, 1)).exists()


def test_a_measure_in_an_answer_not_yet_published_is_a_proposal_open_for_nobody(
    second_round_entry,
):
    """Open (``MeasureQuerySet.open``, ``Measure.is_open``) is public and followed up: a
    measure a handed-in answer announces is a proposal until the answer is published,
    whatever it says, and then open like the imported one."""
    imported = Measure.objects.get()
    response = second_round_entry.response
    response.state = Response.State.SUBMITTED
    response.save()
    proposed = Measure.objects.create(
        recommendation=imported.recommendation,
        board=imported.board,
        title="Föreslagen åtgärd",
        announced_in=second_round_entry,
    )

    assert set(Measure.objects.open()) == {imported}
    assert set(Measure.objects.proposals()) == {proposed}
    assert (proposed.is_proposal, proposed.is_open()) == (True, False)
    assert (imported.is_proposal, imported.is_open()) == (False, True)

    response.state = Response.State.PUBLISHED
    response.save()
    proposed = Measure.objects.get(pk=proposed.pk)

    assert set(Measure.objects.open()) == {imported, proposed}
    assert not Measure.objects.proposals().exists()
    assert (proposed.is_proposal, proposed.is_open()) == (False, True)


def test_an_implemented_measure_needs_a_completion_date(minimal_data):
    measure = Measure.objects.get()
    measure.status = Status.IMPLEMENTED

    with pytest.raises(ValidationError) as error:
        measure.full_clean()

    assert "completed_date" in error.value.message_dict


def test_a_moved_due_date_needs_a_reason(minimal_data):
    change = DueDateChange(
        measure=Measure.objects.get(),
        previous=FuzzyDate.parse("juni 2019"),
        new=FuzzyDate.parse("hösten 2019"),
        reason="  ",
        changed_at=timezone.now(),
    )

    with pytest.raises(ValidationError) as error:
        change.full_clean()

    assert "reason" in error.value.message_dict


def test_every_change_to_a_measure_is_kept_in_its_history(minimal_data):
    measure = Measure.objects.get()
    measure.status = Status.IN_PROGRESS
    measure.save()

    history = list(measure.history.order_by("history_date"))

    assert [h.status for h in history] == [Status.PLANNED, Status.IN_PROGRESS]

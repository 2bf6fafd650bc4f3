"""Who answers a recommendation, one rule (``RecommendationQuerySet.answered_by_board``):
the boards named to answer it, or where none is named, the boards it is addressed to. The
staff pages accept and require a response from exactly those boards, the auditors' list of
missing responses (and so the reminders) chases exactly those boards, and "n of m boards
answered" waits for exactly those (``BoardStanding.must_answer``)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

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


def test_a_round_that_names_the_boards_it_asks_chases_and_accepts_only_those(world):
    # As in STK-2020-438: both boards answer the audit, but its second round asks only
    # one of them (stadskontoret's report), the first only the other (ASN's remissvar).
    audit, first = _late_round(world)
    second = make_round(audit, sequence=2, deadline="2020-09-30")
    make_recommendation(
        audit,
        addressed_to=[world.board_a, world.board_b],
        answered_by=[world.board_a, world.board_b],
    )
    first.asks.set([world.board_a])
    second.asks.set([world.board_b])

    assert _chased(world) == {(first, world.board_a), (second, world.board_b)}
    assert _may_start(world.board_a, first) and not _may_start(world.board_a, second)
    assert _may_start(world.board_b, second) and not _may_start(world.board_b, first)
    second.is_open = True
    second.save()
    open_here = FollowUpRound.objects.filter(audit=audit)
    assert list(open_here.open_for([world.board_a])) == []
    assert list(open_here.open_for([world.board_b])) == [second]


def test_a_board_a_round_names_is_chased_though_it_answers_no_recommendation(world):
    """A consultation asking the municipal board for its view (a remissvar): the round
    names it, its staff are offered the round, and a missing reply is chased like any."""
    audit, consultation = _late_round(world)
    make_recommendation(audit, addressed_to=[world.board_a])  # only board A answers one
    consultation.asks.set([world.board_b])

    assert _may_start(world.board_b, consultation)
    assert _chased(world) == {(consultation, world.board_b)}


def test_in_the_seeds_stadskontorets_round_is_not_owed_by_asn():
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    call_command("import_fixtures", str(Path(settings.BASE_DIR) / "fixtures"), verbosity=0)
    owed = {
        (m.round.audit.reference, m.round.sequence, m.board.short_code)
        for m in attention.missing_responses(dt.date(2026, 12, 1), None)
    }

    assert ("STK-2020-438", 2, "ASN") not in owed
    assert ("STK-2020-438", 1, "STK") not in owed


def test_the_list_of_an_addressee_that_leaves_the_answer_to_another_board_says_so(client, world):
    # As on the recommendation's page: filtered by that board, the row is not "unanswered".
    audit, _late = _late_round(world)
    recommendation = make_recommendation(
        audit, addressed_to=[world.board_b], answered_by=[world.board_a]
    )
    listing = reverse("municipal:recommendation_list", args=[world.municipality.slug])

    by_addressee = client.get(listing, {"board": world.board_b.pk}).content.decode()
    by_answerer = client.get(listing, {"board": world.board_a.pk}).content.decode()

    assert _board_said(by_addressee, recommendation) == "Besvaras av en annan nämnd"
    assert _board_said(by_answerer, recommendation) == "Har inte svarat än"


def _board_said(page: str, recommendation) -> str:
    """What the recommendation's row says of the chosen board (before its own status)."""
    row = page.split(f'href="{recommendation.get_absolute_url()}"', 1)[1]
    said = re.search(r'<p class="result-meta">(.*?)Hela rekommendationen', row, re.S)[1]
    return " ".join(re.sub(r"<[^>]+>|·", " ", said).split()[1:])


def test_the_export_words_each_boards_standing_as_the_pages_do(client, world):
    audit, _late = _late_round(world)
    make_recommendation(audit, addressed_to=[world.board_b], answered_by=[world.board_a])
    export = client.get(
        reverse("municipal:recommendation_list_csv", args=[world.municipality.slug])
    )
    text = export.getvalue().decode("utf-8-sig")

    assert f"{world.board_a.short_code}: Har inte svarat än" in text
    assert f"{world.board_b.short_code}: Besvaras av en annan nämnd" in text

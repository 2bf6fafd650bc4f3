"""The recommendation page: the status timeline across the follow-up rounds."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from auditfollowup.lib.dates import FuzzyDate
from recommendations.roles import STAFF_GROUP
from recommendations.status import Status
from responses.models import Measure
from tests.factories import (
    make_board,
    make_entry,
    make_measure,
    make_measure_update,
    make_response,
    make_round,
    make_tracked_audit,
    make_user,
)

pytestmark = pytest.mark.django_db


def url(recommendation):
    return recommendation.get_absolute_url()


def test_it_shows_the_2019_and_2020_entries_in_order(client):
    world = make_tracked_audit(n_recommendations=1)
    page = client.get(url(world.recommendations[0])).content.decode()
    entries = page.index("Svaren omgång för omgång")
    first = page.index("2019-09-24", entries)
    second = page.index("2020-10-20", entries)
    assert first < second
    assert page.index("Vi planerar en arbetsgrupp", first) < second
    assert "Arbetsgruppen för Rekommendation 1 har startat" in page[second:]
    assert world.responses[0].diary_number in page
    assert world.responses[0].get_absolute_url() in page


def test_it_shows_change_diff_overdue_moved_dates_and_disagreement(client):
    world = make_tracked_audit(n_recommendations=1)
    page = client.get(url(world.recommendations[0])).content.decode()
    assert "Framsteg från Planerad" in page
    assert "<ins>" in page and "<del>" in page
    assert "Försenad" in page and "dagar" in page
    assert "Försenad upphandling" in page  # the reason the due date moved
    assert "Revisionen bedömer läget annorlunda" in page


def test_it_escapes_narratives_in_text_and_diff(client):
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    rec.entries.filter(response=world.responses[1]).update(narrative="<script>x()</script> klart")
    page = client.get(url(rec)).content.decode()
    assert "<script>x()" not in page
    assert "&lt;script&gt;" in page


def test_it_hides_drafts_from_the_public_and_shows_them_to_the_boards_staff(client):
    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    assert "hemligt utkast" not in client.get(url(world.recommendations[0])).content.decode()
    staff = make_user(groups=[STAFF_GROUP], boards=[world.board])
    client.force_login(staff)
    assert "hemligt utkast" in client.get(url(world.recommendations[0])).content.decode()


def test_it_names_the_boards_it_is_addressed_to_and_answered_by_as_they_change(client):
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    ks = make_board(short_code="KS", name="Kommunstyrelsen")
    rec.answered_by.add(ks)

    details = client.get(url(rec)).context["timeline"]
    assert (details.addressed_to, details.answered_by) == ([world.board], [ks])
    page = client.get(url(rec)).content.decode()
    assert "Besvaras av" in page and ks.get_absolute_url() in page

    rec.addressed_to.add(ks)
    rec.answered_by.remove(ks)
    details = client.get(url(rec)).context["timeline"]
    assert [board.name for board in details.addressed_to] == sorted([world.board.name, ks.name])
    assert details.answered_by == []
    assert "Besvaras av" not in client.get(url(rec)).content.decode()


def test_it_answers_404_for_an_unknown_recommendation(client):
    assert (
        client.get(reverse("recommendations:moved_recommendation", args=[999])).status_code == 404
    )


def test_it_has_one_h1_landmarks_and_status_in_text(client):
    world = make_tracked_audit(n_recommendations=1)
    page = client.get(url(world.recommendations[0])).content.decode()
    assert page.count("<h1") == 1
    assert "<main" in page and "<nav" in page and "<footer" in page
    assert "◑</span> Pågående" in page  # symbol and text, not colour alone


def test_its_query_count_does_not_grow_with_rounds_entries_and_measures(
    client, django_assert_num_queries
):
    world = make_tracked_audit(n_recommendations=2)
    rec, other = world.recommendations
    make_measure(other, board=world.board, title="Gemensam").also_serves.add(rec)
    Measure.objects.get(recommendation=rec).also_serves.add(other)
    # Queries: recommendation+audit, rounds, assessments+round, entries+response+board
    # +round, measure updates+measure, measures+board, their due date changes, the
    # recommendations they also serve, shared measures+board+main recommendation, their
    # due date changes, the standings+board+round (which also say the boards it is
    # addressed to and answered by).
    page = url(rec)
    with django_assert_num_queries(12):
        assert client.get(page).status_code == 200
    for sequence in (3, 4, 5, 6):
        response = make_response(
            board=world.board,
            round=make_round(world.audit, sequence=sequence),
            decision_date=dt.date(2020 + sequence - 2, 5, 1),
        )
        entry = make_entry(response, rec, status=Status.IN_PROGRESS, narrative=f"Omgång {sequence}")
        measure = make_measure(rec, board=world.board, due="2030", announced_in=entry)
        make_measure_update(measure, entry)
        shared = make_measure(other, board=world.board, due="2030", title=f"Gemensam {sequence}")
        shared.also_serves.add(rec)
    page = url(rec)
    with django_assert_num_queries(12):
        assert client.get(page).status_code == 200


def test_a_date_says_in_words_how_exactly_it_is_known_and_only_when_coarser_than_a_day(client):
    world = make_tracked_audit(n_recommendations=1)
    month_only = world.responses[1]
    month_only.decision_date = None
    month_only.document = FuzzyDate.parse("oktober 2020")
    month_only.save()
    page = client.get(url(world.recommendations[0])).content.decode()
    assert "precision" not in page  # the word is jargon to the public
    assert 'oktober 2020</time> <span class="muted">(månaden är känd, inte dagen)</span>' in page
    assert "2019-09-24</time> ·" in " ".join(page.split())  # a day needs no note
    document = client.get(month_only.get_absolute_url()).content.decode()
    assert "(månaden är känd, inte dagen)" in document


def _axis_step(page: str, sequence: int) -> str:
    """The time axis's step of round ``sequence``, as text."""
    axis = page[page.index('<ol class="axis">') : page.index("</ol>", page.index('class="axis"'))]
    for step in axis.split('<li class="axis-step')[1:]:
        if f'<p class="axis-title">{sequence}. ' in step:
            return " ".join(re.sub(r"<[^>]+>", " ", step.split(">", 1)[1]).split())
    raise AssertionError(f"no step of round {sequence}")


def test_a_round_not_yet_answered_shows_its_deadline_as_a_deadline(client):
    world = make_tracked_audit(n_recommendations=1)
    make_round(world.audit, sequence=3, deadline="2027-03-31")
    page = client.get(url(world.recommendations[0])).content.decode()

    assert _axis_step(page, 3).startswith("svar senast 2027-03-31")
    assert _axis_step(page, 2).startswith("2020-10-20")


def test_the_time_axis_marks_an_answer_not_yet_published(client):
    world = make_tracked_audit(n_recommendations=1)
    third = make_round(world.audit, sequence=3, deadline="2027-03-31")
    submitted = make_response(
        board=world.board, round=third, state="submitted", decision_date=dt.date(2026, 11, 2)
    )
    make_entry(submitted, world.recommendations[0], status=Status.IMPLEMENTED)
    client.force_login(make_user(groups=[STAFF_GROUP], boards=[world.board]))
    page = client.get(url(world.recommendations[0])).content.decode()

    assert submitted.get_state_display() in _axis_step(page, 3)
    assert submitted.get_state_display() not in _axis_step(page, 2)


def test_the_abbreviation_dnr_before_a_diary_number_says_what_it_stands_for(client):
    world = make_tracked_audit(n_recommendations=1)
    page = client.get(url(world.recommendations[0])).content.decode()
    assert '<abbr title="diarienummer">dnr</abbr>' in page
    assert '<abbr title="diarienummer">dnr</abbr> <span class="case-number">' in page


def test_a_round_whose_deadline_passed_with_no_answer_to_show_says_so(client):
    """The axis said "svar senast 2024-09-30" and "Inget yttrande att visa" two years
    later, leaving the reader to work out that the day had long passed."""
    world = make_tracked_audit(n_recommendations=1)
    make_round(world.audit, sequence=3, deadline="2024-09-30")
    make_round(world.audit, sequence=4, deadline="2099-03-31")
    page = client.get(url(world.recommendations[0])).content.decode()

    assert _axis_step(page, 3).startswith("svar senast 2024-09-30 (sista dagen har passerat)")
    assert _axis_step(page, 4).startswith("svar senast 2099-03-31 4.")
    assert "passerat" not in _axis_step(page, 2)  # answered: its date is the answer's

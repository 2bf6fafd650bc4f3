"""Calendars (iCalendar, RFC 5545) per board and municipality, read with the icalendar parser."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from notifications.models import Profile
from recommendations.models import FollowUpRound
from recommendations.roles import STAFF_GROUP
from recommendations.status import Status
from responses.models import Measure, Response
from tests.factories import (
    make_audit,
    make_board,
    make_entry,
    make_measure,
    make_recommendation,
    make_response,
    make_round,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    board = make_board(short_code="ASN", name="Arbetsmarknadsnämnden")
    audit = make_audit(title="Granskning av arbetsmarknadsinsatser", boards=[board])
    round_ = make_round(audit, sequence=1, deadline="2026-03-31")
    make_round(audit, sequence=2, deadline="hösten 2026")
    recommendation = make_recommendation(audit, addressed_to=[board])
    published = make_measure(recommendation, board=board, title="Publicerad åtgärd", due="maj 2026")
    draft = make_response(board=board, round=round_, state=Response.State.DRAFT)
    entry = make_entry(draft, recommendation, status=Status.PLANNED)
    hidden = make_measure(
        recommendation, board=board, title="Åtgärd i utkast", due="2026-06-15", announced_in=entry
    )
    return {"board": board, "published": published, "hidden": hidden}


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_the_public_board_calendar_has_deadlines_and_published_measures(client, world):
    found = events(client.get(reverse("notifications:board_calendar", args=[world["board"].pk])))

    assert "Åtgärd klar senast: Publicerad åtgärd" in found
    assert not any("Åtgärd i utkast" in summary for summary in found)
    deadlines = [event for summary, event in found.items() if summary.startswith("Svar senast")]
    assert sorted(event.decoded("dtstart") for event in deadlines) == [
        dt.date(2026, 3, 31),
        dt.date(2026, 12, 31),
    ]


def test_a_date_of_uncertain_precision_is_an_all_day_event_on_its_last_day(client, world):
    found = events(client.get(reverse("notifications:board_calendar", args=[world["board"].pk])))

    event = found["Åtgärd klar senast: Publicerad åtgärd"]
    assert event.decoded("dtstart") == dt.date(2026, 5, 31)
    assert event.decoded("dtend") == dt.date(2026, 6, 1)
    assert "maj 2026" in str(event["description"])
    assert str(event["url"]).endswith(world["published"].recommendation.get_absolute_url())


def test_a_measures_event_names_its_recommendation_as_every_page_does(client, world):
    """By ``display_name`` ("Rekommendation 1" where the document gave no label); the
    calendar named an unlabelled one by its bare position ("1")."""
    found = events(client.get(reverse("notifications:board_calendar", args=[world["board"].pk])))

    recommendation = world["published"].recommendation
    description = str(found["Åtgärd klar senast: Publicerad åtgärd"]["description"])
    assert f", {recommendation.display_name}. Status:" in description


def test_the_municipality_calendar_covers_its_boards(client, world):
    other = make_board(short_code="SN", name="Servicenämnden")
    audit = make_audit(boards=[other])
    recommendation = make_recommendation(audit, addressed_to=[other])
    make_measure(recommendation, board=other, title="SN:s åtgärd", due="2026-08-01")

    found = events(client.get(reverse("notifications:municipality_calendar", args=["malmo"])))

    assert "Åtgärd klar senast: SN:s åtgärd" in found
    assert "Åtgärd klar senast: Publicerad åtgärd" in found
    assert not any("Åtgärd i utkast" in summary for summary in found)


def test_board_staff_see_their_draft_measures_at_their_secret_address_marked_as_proposals(
    client, world
):
    """A measure in an answer not yet published is a proposal, not a commitment: their
    private calendar shows it tentative and named a proposal, never as a measure due
    (``MeasureQuerySet.open``, the rule of the public calendars and of every count)."""
    staff = make_user("anna", groups=[STAFF_GROUP], boards=[world["board"]])
    token = Profile.for_user(staff).calendar_token

    found = events(
        client.get(reverse("notifications:private_board_calendar", args=[token, world["board"].pk]))
    )

    assert "Åtgärd klar senast: Åtgärd i utkast" not in found
    proposal = found["Förslag, klar senast: Åtgärd i utkast"]
    assert str(proposal["status"]) == "TENTATIVE"
    assert str(proposal["description"]).startswith(
        "I ett svar som inte är publicerat än: ett förslag, inget åtagande"
    )
    assert "status" not in found["Åtgärd klar senast: Publicerad åtgärd"]


def test_every_readers_calendar_has_the_open_measures_as_commitments(client, world):
    """The measures due in a calendar (not marked proposals) are the open ones, whoever
    reads it: the public, the board's staff and the municipality's auditor."""
    board = world["board"]
    staff = make_user("anna", groups=[STAFF_GROUP], boards=[board])
    auditor = make_user("revisor", groups=["Revisorer"], municipality=board.municipality)
    submitted = make_response(
        board=board,
        round=make_round(world["published"].recommendation.audit, sequence=3),
        state=Response.State.SUBMITTED,
    )
    make_measure(
        world["published"].recommendation,
        board=board,
        title="Åtgärd i inlämnat svar",
        due="2026-07",
        announced_in=make_entry(submitted, world["published"].recommendation),
    )
    open_titles = {
        f"Åtgärd klar senast: {measure.title}"
        for measure in Measure.objects.open().filter(board=board)
    }
    assert open_titles == {"Åtgärd klar senast: Publicerad åtgärd"}
    addresses = [
        reverse("notifications:board_calendar", args=[board.pk]),
        reverse("notifications:municipality_calendar", args=["malmo"]),
    ]
    for reader in (staff, auditor):
        token = Profile.for_user(reader).calendar_token
        addresses += [
            reverse("notifications:private_board_calendar", args=[token, board.pk]),
            reverse("notifications:private_municipality_calendar", args=[token, "malmo"]),
        ]
    for address in addresses:
        found = events(client.get(address))
        commitments = {
            summary
            for summary, event in found.items()
            if summary.startswith("Åtgärd klar senast") and "status" not in event
        }
        assert commitments == open_titles, address
    seen = events(client.get(addresses[-1]))
    assert str(seen["Förslag, klar senast: Åtgärd i inlämnat svar"]["status"]) == "TENTATIVE"
    assert "Förslag, klar senast: Åtgärd i utkast" not in seen  # a draft is not theirs


def test_a_renewed_address_replaces_the_old_one(client, world):
    staff = make_user("anna", groups=[STAFF_GROUP], boards=[world["board"]])
    old = Profile.for_user(staff).calendar_token
    client.force_login(staff)

    client.post(reverse("notifications:renew_calendar_token"))

    new = Profile.objects.get(user=staff).calendar_token
    assert new != old
    board = world["board"].pk
    assert client.get(f"/kalender/{old}/namnder/{board}.ics").status_code == 404
    assert client.get(f"/kalender/{new}/namnder/{board}.ics").status_code == 200


def test_an_unknown_secret_shows_nothing(client, world):
    assert client.get(f"/kalender/gissad/namnder/{world['board'].pk}.ics").status_code == 404


def test_the_calendar_costs_the_same_queries_for_more_measures(
    client, world, django_assert_max_num_queries
):
    recommendation = world["published"].recommendation
    for number in range(10):
        make_measure(recommendation, board=world["board"], title=f"Fler {number}", due="2027")

    # board, rounds (+audit), measures (+board, recommendation, audit) with visibility.
    with django_assert_max_num_queries(3):
        client.get(reverse("notifications:board_calendar", args=[world["board"].pk]))


def test_a_boards_calendar_has_the_deadlines_it_owes_an_answer_to(client):
    """By the one rule of who answers (``answered_by``, else the addressees), as the
    reminders and staff pages go: an audited board that leaves the answer to another
    gets no deadline, and a board that answers an audit it was not audited in does."""
    ks = make_board(short_code="KS", name="Kommunstyrelsen")
    stk = make_board(short_code="STK", name="Stadskontoret")
    audit = make_audit(reference="STK-2020-438", title="Utredning", boards=[ks])
    make_round(audit, sequence=1, deadline="2026-10-31", title="Uppdragen")
    make_recommendation(audit, addressed_to=[ks], answered_by=[stk])

    def deadlines(board):
        url = reverse("notifications:board_calendar", args=[board.pk])
        return [summary for summary in events(client.get(url)) if summary.startswith("Svar")]

    assert deadlines(stk) == ["Svar senast: STK-2020-438 Utredning, Uppdragen"]
    assert deadlines(ks) == []


def test_a_round_naming_no_board_asks_nothing_of_a_board_whose_recommendations_are_closed(
    client,
):
    """As the reminders and *Att granska* judge a missing reply
    (``attention.missing_responses``): in a round that names no board, a board is asked
    while one of the recommendations it answers is open. Its calendar showed the deadline
    of a round it owed nothing, and its staff were offered the round with nothing to
    answer in it."""
    asn = make_board(short_code="ASN")
    audit = make_audit(reference="SR-2018-71", title="Insatser", boards=[asn])
    round_ = make_round(audit, sequence=1, deadline="2026-10-31", title="Lägesbeskrivning")
    round_.is_open = True
    round_.save()
    recommendation = make_recommendation(audit, addressed_to=[asn])
    url = reverse("notifications:board_calendar", args=[asn.pk])

    def deadlines():
        return [summary for summary in events(client.get(url)) if summary.startswith("Svar")]

    assert deadlines() == ["Svar senast: SR-2018-71 Insatser, Lägesbeskrivning"]
    recommendation.close(dt.date(2026, 1, 10), "Ersatt av ny styrmodell.", None)

    assert deadlines() == []
    assert not FollowUpRound.objects.open_for([asn]).exists()


def test_the_board_page_says_its_second_link_is_the_municipalitys_calendar(client, world):
    """It read "Hela Malmö stad": alone, nothing told that it downloads a calendar."""
    board = world["board"]
    page = client.get(board.get_absolute_url()).content.decode()
    calendar = reverse("notifications:municipality_calendar", args=[board.municipality.slug])
    assert f'<a href="{calendar}">Hela Malmö stad som kalender</a>' in page


def test_a_measure_no_longer_followed_up_is_not_in_the_calendars(client, world):
    """A measure done or no longer relevant, or serving only closed recommendations, is
    due no more (``MeasureQuerySet.followed_up``, the status rule's own): the calendars
    listed every measure with a due date, finished or not."""
    board = world["board"]
    recommendation = world["published"].recommendation
    for title, status in [
        ("Genomförd åtgärd", Status.IMPLEMENTED),
        ("Ej aktuell åtgärd", Status.NO_LONGER_RELEVANT),
    ]:
        make_measure(recommendation, board=board, title=title, due="2026-09", status=status)
    closed = make_recommendation(make_audit(boards=[board]), addressed_to=[board])
    make_measure(closed, board=board, title="Åtgärd under stängd rekommendation", due="2026-09")
    closed.close(dt.date(2026, 1, 10), "Ersatt.", None)

    for url in [
        reverse("notifications:board_calendar", args=[board.pk]),
        reverse("notifications:municipality_calendar", args=["malmo"]),
    ]:
        found = events(client.get(url))
        assert "Åtgärd klar senast: Publicerad åtgärd" in found
        assert not [
            summary for summary in found if "Genomförd" in summary or "Ej aktuell" in summary
        ]
        assert "Åtgärd klar senast: Åtgärd under stängd rekommendation" not in found


def _municipality_deadlines(client):
    found = events(client.get(reverse("notifications:municipality_calendar", args=["malmo"])))
    return {
        summary: str(event["description"])
        for summary, event in found.items()
        if summary.startswith("Svar")
    }


def test_the_municipality_calendar_names_the_boards_each_round_asks(client, world):
    """By the rule of whom a round asks (``attention.asked_boards``): the boards it names,
    else those answering an open recommendation of its audit. All of them, whether they
    have handed in or not: the public is not told who has."""
    asn = world["board"]
    sn = make_board(short_code="SN", name="Servicenämnden")
    audit = make_audit(reference="SR-2026-1", title="Servicen", boards=[asn, sn])
    make_recommendation(audit, addressed_to=[asn, sn])
    both = make_round(audit, sequence=1, deadline="2026-10-31", title="Alla svarar")
    named = make_round(audit, sequence=2, deadline="2026-11-30", title="Bara SN")
    named.asks.set([sn])
    make_response(board=sn, round=both, state=Response.State.SUBMITTED)

    deadlines = _municipality_deadlines(client)

    assert deadlines["Svar senast: SR-2026-1 Servicen, Alla svarar"].startswith(
        "Nämnder som ska svara: Arbetsmarknadsnämnden, Servicenämnden."
    )
    assert deadlines["Svar senast: SR-2026-1 Servicen, Bara SN"].startswith(
        "Nämnder som ska svara: Servicenämnden."
    )


def test_the_municipality_calendar_costs_the_same_queries_for_more_rounds_and_boards(
    client, world, django_assert_num_queries
):
    url = reverse("notifications:municipality_calendar", args=["malmo"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(4):
        board = make_board(short_code=f"B{number}", name=f"Nämnd {number}")
        audit = make_audit(boards=[board, world["board"]])
        recommendation = make_recommendation(audit, addressed_to=[board, world["board"]])
        make_measure(recommendation, board=board, title=f"Åtgärd {number}", due="2026-10")
        make_round(audit, sequence=1, deadline="2026-10-31").asks.set([board])
        make_round(audit, sequence=2, deadline="2026-12-31")

    with django_assert_num_queries(len(few)):
        page = client.get(url)
    found = Calendar.from_ical(page.content).walk("VEVENT")
    descriptions = [str(event["description"]) for event in found]
    assert sum("Nämnder som ska svara: " in text for text in descriptions) == 2 + 8


def test_a_private_calendar_costs_the_same_queries_for_more_proposals(
    client, world, django_assert_num_queries
):
    """One query more than the public calendar, for the proposals the user may read,
    however many there are."""
    board = world["board"]
    staff = make_user("anna", groups=[STAFF_GROUP], boards=[board])
    url = reverse(
        "notifications:private_board_calendar",
        args=[Profile.for_user(staff).calendar_token, board.pk],
    )
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    entry = world["hidden"].announced_in
    for number in range(5):
        make_measure(
            entry.recommendation,
            board=board,
            title=f"Förslag {number}",
            due="2027",
            announced_in=entry,
        )

    with django_assert_num_queries(len(few)):
        found = events(client.get(url))
    assert sum(summary.startswith("Förslag, klar senast") for summary in found) == 6

"""A round opened for answers is news for the boards it asks: their case officers hear,
the day it opens, that the auditors ask for an answer and by when (manage.py
send_notifications, through a real SMTP server), without waiting for the reminder two
weeks before the deadline."""

import datetime as dt
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.urls import reverse

from notifications import planning
from notifications.models import Frequency, Kind, Notification, Preference
from recommendations import attention
from recommendations.models import FollowUpRound
from recommendations.roles import STAFF_GROUP
from responses.models import Response

from .factories import make_response, make_round, make_user

OPENED = dt.date(2026, 1, 12)  # a Monday; the deadline below is months later


def run(today):
    call_command("send_notifications", f"--today={today}", stdout=StringIO())


def staff_of(board, username):
    user = make_user(username, groups=[STAFF_GROUP], boards=[board], email=f"{username}@example.se")
    return user


def open_round(audit, *, deadline="2026-04-30", opened=OPENED, request="", **fields):
    """A round opened on ``opened``, as the auditors' form or the admin opens one."""
    with mock.patch("django.utils.timezone.localdate", return_value=opened):
        round_ = make_round(audit, deadline=deadline, is_open=True, **fields)
    if request:
        round_.request = request
        round_.save(update_fields=["request"])
    return round_


def test_opening_a_round_keeps_the_day_it_opened(world):
    closed = make_round(world.audit, sequence=3, deadline="2099-01-31")
    assert closed.opened_on is None
    with mock.patch("django.utils.timezone.localdate", return_value=OPENED):
        closed.is_open = True
        closed.save()
    closed.refresh_from_db()
    assert closed.opened_on == OPENED

    # Saved again while open (a title corrected), it has not opened again.
    with mock.patch("django.utils.timezone.localdate", return_value=OPENED + dt.timedelta(9)):
        closed.title = "Ny rubrik"
        closed.save()
    assert FollowUpRound.objects.get(pk=closed.pk).opened_on == OPENED


def test_the_asked_boards_staff_hear_of_a_new_round_the_day_it_opens(world, smtp_server):
    anna = staff_of(world.board_a, "anna-asn")
    bertil = staff_of(world.board_b, "bertil-sn")
    open_round(
        world.audit,
        sequence=3,
        title="Uppföljning 2026",
        request="Redovisa vad som har gjorts.",
    ).asks.set([world.board_a])

    run(OPENED.isoformat())

    [mail] = smtp_server.to(anna.email)
    text = smtp_server.text(mail)
    assert "Revisionen begär svar i en ny omgång" in text
    assert "Uppföljning 2026" in text
    assert "senast 2026-04-30" in text
    assert "Redovisa vad som har gjorts." in text
    assert reverse("responses:response_start") in text
    assert "Revisionen begär svar i en ny omgång" in smtp_server.html(mail)
    assert not smtp_server.to(bertil.email)  # the round does not ask SN


def test_a_new_round_is_announced_once(world, smtp_server):
    anna = staff_of(world.board_a, "anna-asn")
    open_round(world.audit, sequence=3).asks.set([world.board_a])

    for day in range(4):
        run((OPENED + dt.timedelta(days=day)).isoformat())

    assert len(smtp_server.to(anna.email)) == 1


def test_a_round_closed_again_before_the_weekly_mail_is_not_announced(world, smtp_server):
    anna = staff_of(world.board_a, "anna-asn")
    Preference.objects.create(user=anna, kind=Kind.BOARD_REMINDER, frequency=Frequency.WEEKLY)
    round_ = open_round(world.audit, sequence=3, opened=dt.date(2026, 1, 13))  # a Tuesday
    round_.asks.set([world.board_a])
    run("2026-01-13")  # waits for Monday
    round_.is_open = False  # opened by mistake
    round_.save()

    run("2026-01-19")

    assert not smtp_server.to(anna.email)
    assert Notification.objects.get(recipient=anna).cancelled_at is not None


def test_a_board_that_has_handed_in_its_answer_is_not_told_of_the_round(world, smtp_server):
    anna = staff_of(world.board_a, "anna-asn")
    round_ = open_round(world.audit, sequence=3)
    round_.asks.set([world.board_a])
    make_response(board=world.board_a, round=round_, state=Response.State.SUBMITTED)

    run(OPENED.isoformat())

    assert not smtp_server.to(anna.email)


def test_a_round_opened_long_ago_or_loaded_by_an_import_is_not_news(world, smtp_server):
    """The rounds open when this arrives (and those an import loads, with no day they
    opened) are not announced: only a round opened within the catch-up days is."""
    anna = staff_of(world.board_a, "anna-asn")
    open_round(world.audit, sequence=3, opened=dt.date(2025, 6, 1)).asks.set([world.board_a])
    imported = open_round(world.audit, sequence=4)
    FollowUpRound.objects.filter(pk=imported.pk).update(opened_on=None)
    imported.asks.set([world.board_a])

    run(OPENED.isoformat())

    assert not smtp_server.to(anna.email)


def test_a_deadline_within_two_weeks_is_said_once_not_twice(world, smtp_server):
    anna = staff_of(world.board_a, "anna-asn")
    open_round(world.audit, sequence=3, deadline="2026-01-20").asks.set([world.board_a])

    run(OPENED.isoformat())

    [mail] = smtp_server.to(anna.email)
    text = smtp_server.text(mail)
    assert "inom 14 dagar" in text
    assert "Revisionen begär svar i en ny omgång" not in text


def test_a_round_the_auditors_open_in_their_form_is_announced(world, smtp_server, client):
    anna = staff_of(world.board_a, "anna-asn")
    client.force_login(world.auditor)
    data = {
        "kind": FollowUpRound.Kind.MEASURES_TAKEN,
        "title": "Begärd i formuläret",
        "deadline": "2099-03-31",
        "is_open": "on",
        "asks": [world.board_a.pk],
        "announced_sequence": "3",  # what the form's page announces
    }
    assert (
        client.post(reverse("auditors:request_follow_up", args=[world.audit.pk]), data).status_code
        == 302
    )

    call_command("send_notifications", stdout=StringIO())  # today, as cron runs it

    [mail] = smtp_server.to(anna.email)
    assert "Begärd i formuläret" in smtp_server.text(mail)


def test_a_round_is_announced_while_its_answers_are_awaited_as_att_granska_says(world):
    """A round opened lately is announced while it awaits answers
    (``FollowUpRoundQuerySet.awaiting_answers``, the rule of *Att granska*'s awaited
    answers): without a deadline, or before its whole period has passed ("2026-01" is
    not past on 12 January); one opened with its deadline passed already is a late
    reply, never news."""
    without = open_round(world.audit, sequence=3, deadline=None)
    this_month = open_round(world.audit, sequence=4, deadline="2026-01")
    passed = open_round(world.audit, sequence=5, deadline="2025")
    rounds = {without.pk, this_month.pk, passed.pk}
    for round_ in (without, this_month, passed):
        round_.asks.set([world.board_a])

    announced = {item.round.pk for item in planning.rounds_to_announce(OPENED)}
    awaited = {item.round.pk for item in attention.awaited_responses(OPENED, None)}

    assert announced == awaited & rounds == {without.pk, this_month.pk}

"""manage.py send_notifications: reminders, digests and escalations, sent through a real
SMTP server (aiosmtpd on 127.0.0.1, the ``smtp_server`` fixture)."""

import datetime as dt
import smtplib
from io import StringIO
from unittest import mock

import pytest
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import outbox, planning
from notifications.models import (
    DEFAULT_FREQUENCY,
    Frequency,
    Kind,
    Notification,
    Preference,
    Profile,
)
from notifications.outbox import send_due
from notifications.planning import write_plan
from recommendations.roles import AUDITOR_GROUP, STAFF_GROUP
from recommendations.status import Status
from recommendations.templatetags.recommendation_tags import audit_name
from responses.models import Response
from tests.factories import (
    hand_in,
    make_audit,
    make_board,
    make_measure,
    make_municipality,
    make_recommendation,
    make_response,
    make_round,
    make_user,
)

pytestmark = pytest.mark.django_db

# 2026-03-17 is a Tuesday; the reply deadline below is 14 days later.
DEADLINE = "2026-03-31"


def person(username, *, groups=(), boards=(), language=None, municipality=None):
    user = make_user(username, groups=groups, boards=boards, municipality=municipality)
    user.email = f"{username}@example.se"
    user.save(update_fields=["email"])
    if language:
        Profile.objects.create(user=user, language=language)
    return user


def run(today, *args):
    out = StringIO()
    call_command("send_notifications", f"--today={today}", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def world():
    """ASN owes a reply by 2026-03-31 in a round open for it, and has a measure due in
    April 2026."""
    board = make_board(short_code="ASN", name="Arbetsmarknadsnämnden")
    staff = person("anna", groups=[STAFF_GROUP], boards=[board])
    auditor = person("revisor", groups=[AUDITOR_GROUP])
    contact = person("chefen")
    board.contact = contact
    board.save(update_fields=["contact"])
    audit = make_audit(title="Granskning av arbetsmarknadsinsatser", boards=[board])
    round_ = make_round(audit, sequence=1, deadline=DEADLINE, title="Första yttrande", is_open=True)
    recommendation = make_recommendation(audit, addressed_to=[board])
    measure = make_measure(
        recommendation,
        board=board,
        title="Ta fram en rutin",
        due="2026-04",
        status=Status.IN_PROGRESS,
    )
    return {
        "board": board,
        "staff": staff,
        "auditor": auditor,
        "contact": contact,
        "audit": audit,
        "round": round_,
        "recommendation": recommendation,
        "measure": measure,
    }


def test_staff_get_one_reminder_two_weeks_before_the_reply_deadline(world, smtp_server):
    run("2026-03-17")

    mails = smtp_server.to("anna@example.se")
    assert len(mails) == 1
    text = smtp_server.text(mails[0])
    assert "Arbetsmarknadsnämnden" in smtp_server.subject(mails[0])
    assert "inom 14 dagar" in text
    assert "Granskning av arbetsmarknadsinsatser" in text
    assert "senast 2026-03-31" in text
    assert "Granskning av arbetsmarknadsinsatser" in smtp_server.html(mails[0])
    # Only board staff hear of it (the auditors' digest has nothing to show yet), and
    # April's measure is not due within two weeks.
    assert smtp_server.recipients == ["anna@example.se"]
    assert "Ta fram en rutin" not in text


def _open_round(audit, *, opened, deadline, boards, sequence):
    """A round the auditors open on ``opened`` asking ``boards``."""
    with mock.patch("django.utils.timezone.localdate", return_value=opened):
        round_ = make_round(audit, sequence=sequence, deadline=deadline, is_open=True)
    round_.asks.set(boards)
    return round_


@pytest.mark.parametrize(
    "language, subject, first_line, reminder",
    [
        (
            "sv",
            "Revisionen begär svar: Servicenämnden",
            "Revisionen har öppnat en ny omgång och begär svar av Servicenämnden:",
            "Påminnelse",
        ),
        (
            "en",
            "The auditors ask for an answer: Servicenämnden",
            "The auditors have opened a new round and ask Servicenämnden for an answer:",
            "Reminder",
        ),
    ],
)
def test_a_new_round_is_announced_as_news_not_as_a_reminder(
    world, smtp_server, language, subject, first_line, reminder
):
    """The day a round opens its boards hear news: neither the subject nor the text calls
    it a reminder, which it is not yet."""
    board = make_board(short_code="SN", name="Servicenämnden")
    person("sven", groups=[STAFF_GROUP], boards=[board], language=language)
    audit = make_audit(title="Granskning av servicen", boards=[board])
    make_recommendation(audit, addressed_to=[board])
    _open_round(
        audit, opened=dt.date(2026, 1, 12), deadline="2026-04-30", boards=[board], sequence=1
    )

    run("2026-01-12")

    [mail] = smtp_server.to("sven@example.se")
    text, html = smtp_server.text(mail), smtp_server.html(mail)
    assert smtp_server.subject(mail) == subject
    assert text.splitlines()[0] == first_line
    assert f"<title>{subject}</title>" in html
    assert f'<h1 style="font-size: 1.3em;">{first_line.rstrip(":")}</h1>' in html
    for part in (smtp_server.subject(mail), text, html):
        assert reminder.lower() not in part.lower()


def test_a_new_round_told_beside_a_reminder_says_both_in_the_subject(world, smtp_server):
    _open_round(
        world["audit"],
        opened=dt.date(2026, 3, 17),
        deadline="2026-09-30",
        boards=[world["board"]],
        sequence=2,
    )

    run("2026-03-17")  # ASN's first round is due within two weeks

    [mail] = smtp_server.to("anna@example.se")
    assert smtp_server.subject(mail) == (
        "Ny omgång och påminnelse från Uppföljning: Arbetsmarknadsnämnden"
    )
    text = smtp_server.text(mail)
    assert text.splitlines()[0] == "Det här väntar på Arbetsmarknadsnämnden:"
    assert "Revisionen begär svar i en ny omgång" in text
    assert "inom 14 dagar" in text


def test_the_staff_reminder_says_where_the_answer_is_written(world, smtp_server, client):
    run("2026-03-17")

    mail = smtp_server.to("anna@example.se")[0]
    url = "https://uppfoljning.example/yttranden/nytt/"
    assert f"lämnas in under Nämndens yttranden, där också åtgärderna redovisas: {url}" in (
        smtp_server.text(mail)
    )
    assert f'<a href="{url}">Nämndens yttranden</a>' in smtp_server.html(mail)
    # The page it leads to offers the staff the round the reminder is about.
    world["round"].is_open = True
    world["round"].save(update_fields=["is_open"])
    client.force_login(world["staff"])
    page = client.get(url.removeprefix("https://uppfoljning.example"))
    assert page.status_code == 200 and "Första yttrande" in page.text


def test_an_english_staff_reminder_says_where_the_answer_is_written_in_english(world, smtp_server):
    Profile.objects.create(user=world["staff"], language="en")

    run("2026-03-17")

    mail = smtp_server.to("anna@example.se")[0]
    assert "handed in under The board's responses" in smtp_server.text(mail)
    assert ">The board's responses</a>, where the measures are reported on" in (
        smtp_server.html(mail)
    )


def test_a_boards_name_reads_as_written_in_the_subject_and_the_text(world, smtp_server):
    world["board"].name = "Kultur- & fritidsnämnden"
    world["board"].save(update_fields=["name"])

    run("2026-03-17")

    (mail,) = smtp_server.to("anna@example.se")
    assert smtp_server.subject(mail) == "Påminnelse från Uppföljning: Kultur- & fritidsnämnden"
    assert "Det här väntar på Kultur- & fritidsnämnden:" in smtp_server.text(mail)
    assert "Det här väntar på Kultur- &amp; fritidsnämnden" in smtp_server.html(mail)


def test_the_day_is_stockholms_just_after_midnight(world, smtp_server):
    """Run at 00:30 in Stockholm on 17 March, still the 16th in UTC: the reminder 14 days
    ahead of the deadline is due that day."""
    just_after_midnight = dt.datetime(2026, 3, 16, 23, 30, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=just_after_midnight):
        output = StringIO()
        call_command("send_notifications", stdout=output)

    assert output.getvalue().startswith("2026-03-17:")
    assert "inom 14 dagar" in smtp_server.text(smtp_server.to("anna@example.se")[0])


def test_someone_on_the_staff_list_without_the_staff_group_gets_no_reminder(world, smtp_server):
    # Being listed on a board without the group Handläggare grants nothing (README).
    person("tidigare", boards=[world["board"]])

    run("2026-03-17")

    assert smtp_server.recipients == ["anna@example.se"]


def test_a_second_run_the_same_day_sends_nothing(world, smtp_server):
    run("2026-03-17")
    received = len(smtp_server.messages)

    output = run("2026-03-17")

    assert len(smtp_server.messages) == received
    assert "0 new" in output and "0 mails sent" in output


def test_the_three_day_and_the_day_after_reminders_follow(world, smtp_server):
    run("2026-03-17")
    run("2026-03-20")
    run("2026-03-28")
    run("2026-03-29")
    run("2026-04-01")
    run("2026-04-02")

    texts = [smtp_server.text(m) for m in smtp_server.to("anna@example.se")]
    assert len(texts) == 3
    assert "inom 14 dagar" in texts[0]
    assert "inom 3 dagar" in texts[1]
    assert "sista dagen har passerat" in texts[2]


@pytest.mark.parametrize(
    ("today", "said"),
    [
        ("2026-03-17", "senast 2026-03-31, om 14 dagar"),
        ("2026-03-28", "senast 2026-03-31, om 3 dagar"),
        ("2026-03-30", "senast 2026-03-31, i morgon"),
        ("2026-03-31", "senast 2026-03-31, i dag"),
    ],
)
def test_the_reminder_says_how_many_days_are_left(world, smtp_server, today, said):
    """The heading says "within 3 days" from three days ahead to the last day
    itself; each item says in words when its last day is."""
    run(today)

    (mail,) = smtp_server.to("anna@example.se")
    assert said in smtp_server.text(mail)
    assert said in smtp_server.html(mail)


def test_an_english_reminder_says_how_many_days_are_left_in_english(world, smtp_server):
    Profile.objects.create(user=world["staff"], language="en")

    run("2026-03-31")

    (mail,) = smtp_server.to("anna@example.se")
    assert "due 2026-03-31, today" in smtp_server.text(mail)


def test_one_digest_per_board_holds_the_deadline_and_the_measure(world, smtp_server):
    other = make_board(short_code="SN", name="Servicenämnden")
    other.staff.add(world["staff"])
    audit = make_audit(boards=[other])
    make_round(audit, sequence=1, deadline="2026-04-20", is_open=True)
    recommendation = make_recommendation(audit, addressed_to=[other])
    make_measure(recommendation, board=other, title="Servicens åtgärd", due="2026-04-25")

    run("2026-04-18")

    mails = smtp_server.to("anna@example.se")
    assert len(mails) == 2, "one mail per board"
    by_board = {("Servicenämnden" in smtp_server.subject(m)): smtp_server.text(m) for m in mails}
    assert "Servicens åtgärd" in by_board[True] and "inom 3 dagar" in by_board[True]
    assert "Ta fram en rutin" in by_board[False]
    assert "Servicens åtgärd" not in by_board[False]


def test_a_fuzzy_due_date_is_due_at_the_end_of_its_period(world, smtp_server):
    run("2026-04-15")
    assert not smtp_server.to("anna@example.se") or "Ta fram en rutin" not in "".join(
        smtp_server.text(m) for m in smtp_server.to("anna@example.se")
    )

    run("2026-04-16")  # 14 days before 30 April

    text = smtp_server.text(smtp_server.to("anna@example.se")[-1])
    assert "Ta fram en rutin" in text
    assert "senast april 2026" in text


def test_a_measure_that_falls_overdue_is_reported_once(world, smtp_server):
    world["round"].deadline_date = None
    world["round"].save()
    run("2026-05-01")
    run("2026-05-02")

    mails = smtp_server.to("anna@example.se")
    assert len(mails) == 1
    assert "Åtgärder som är försenade" in smtp_server.text(mails[0])
    assert "1 dag sen" in smtp_server.text(mails[0])


def test_a_moved_due_date_moves_the_reminder(world, smtp_server):
    Preference.objects.create(
        user=world["staff"], kind=Kind.BOARD_REMINDER, frequency=Frequency.WEEKLY
    )
    world["round"].deadline_date = None
    world["round"].save()
    run("2026-04-21")  # Tuesday: planned for Monday 27 April
    assert not smtp_server.to("anna@example.se")

    measure = world["measure"]
    measure.due_date, measure.due_precision = dt.date(2026, 6, 1), "month"
    measure.save()
    run("2026-04-27")

    assert not smtp_server.to("anna@example.se"), "the April reminder is withdrawn"
    run("2026-06-22")  # a Monday, eight days before 30 June
    texts = [smtp_server.text(m) for m in smtp_server.to("anna@example.se")]
    assert len(texts) == 1
    assert "senast juni 2026" in texts[0]


def test_a_settled_measure_cancels_its_waiting_reminder(world, smtp_server):
    Preference.objects.create(
        user=world["staff"], kind=Kind.BOARD_REMINDER, frequency=Frequency.WEEKLY
    )
    world["round"].deadline_date = None
    world["round"].save()
    run("2026-04-21")
    measure = world["measure"]
    measure.status, measure.completed_date = Status.IMPLEMENTED, dt.date(2026, 4, 22)
    measure.save()

    run("2026-04-27")

    assert not smtp_server.to("anna@example.se")
    assert Notification.objects.filter(measure=measure, cancelled_at__isnull=False).exists()


def test_a_reminder_planned_before_the_answer_is_checked_again_when_it_is_sent(world, smtp_server):
    write_plan(dt.date(2026, 3, 17))
    make_response(board=world["board"], round=world["round"], state=Response.State.PUBLISHED)

    run("2026-03-17")

    assert not smtp_server.to("anna@example.se")


def test_a_reminder_whose_recommendation_closed_after_planning_is_not_sent(world, smtp_server):
    # Planned (the reply is 20 days late: escalated to the auditor and the contact; the
    # measure is due within two weeks), then the only open recommendation is closed
    # before the mails go: the board no longer owes a reply, and the measure is no longer
    # followed up.
    today = dt.date(2026, 4, 20)
    write_plan(today)
    assert Notification.objects.filter(round=world["round"], kind=Kind.ESCALATION).count() == 2
    assert Notification.objects.filter(measure=world["measure"], recipient=world["staff"]).exists()
    recommendation = world["recommendation"]
    recommendation.closed_on, recommendation.closed_reason = today, "Ersatt av ny styrmodell."
    recommendation.save()

    result = send_due(today)

    assert smtp_server.recipients == []
    assert result.cancelled == Notification.objects.filter(cancelled_at__isnull=False).count() > 0


def test_a_waiting_digest_is_not_sent_to_an_auditor_who_has_left(world, smtp_server):
    # Planned on Monday; the mail server was down, so the digest waits. Meanwhile the
    # auditor leaves, and a board hands in an answer that only auditors may read.
    monday = dt.date(2026, 4, 13)
    write_plan(monday)
    auditor = world["auditor"]
    auditor.is_active = False
    auditor.save(update_fields=["is_active"])
    make_response(
        board=world["board"],
        round=world["round"],
        state=Response.State.SUBMITTED,
        title="Inlämnat, ännu inte publicerat",
    )

    send_due(monday)

    assert not smtp_server.to("revisor@example.se")


def test_a_waiting_weekly_reminder_is_not_sent_to_someone_no_longer_on_the_board(
    world, smtp_server
):
    Preference.objects.create(
        user=world["staff"], kind=Kind.BOARD_REMINDER, frequency=Frequency.WEEKLY
    )
    write_plan(dt.date(2026, 3, 17))  # a Tuesday: the reminder waits for Monday
    world["board"].staff.remove(world["staff"])

    send_due(dt.date(2026, 3, 23))

    assert not smtp_server.to("anna@example.se")


def test_a_waiting_reminder_goes_to_the_address_the_user_has_when_it_is_sent(world, smtp_server):
    Preference.objects.create(
        user=world["staff"], kind=Kind.BOARD_REMINDER, frequency=Frequency.WEEKLY
    )
    write_plan(dt.date(2026, 3, 17))  # a Tuesday: the reminder waits for Monday
    # Meanwhile an admin corrects her address (the old mailbox is no longer hers).
    world["staff"].email = "anna.andersson@example.se"
    world["staff"].save(update_fields=["email"])

    run("2026-03-23")

    assert smtp_server.recipients == ["anna.andersson@example.se"]
    assert "inom 14 dagar" in smtp_server.text(smtp_server.to("anna.andersson@example.se")[0])
    run("2026-03-24")
    assert len(smtp_server.messages) == 1, "and only once"


def test_a_colleague_leaving_does_not_stop_the_reminder_to_a_shared_mailbox(world, smtp_server):
    """Two case officers read one mailbox; each has their own reminder. The one who has
    left gets none, the one still on the board still gets hers."""
    for user in (world["staff"], person("bodil", groups=[STAFF_GROUP], boards=[world["board"]])):
        user.email = "asn@example.se"
        user.save(update_fields=["email"])
        Preference.objects.create(user=user, kind=Kind.BOARD_REMINDER, frequency=Frequency.WEEKLY)
    write_plan(dt.date(2026, 3, 17))  # a Tuesday: the reminders wait for Monday
    world["board"].staff.remove(world["staff"])  # anna, the first of them, leaves

    send_due(dt.date(2026, 3, 23))

    (mail,) = smtp_server.to("asn@example.se")
    assert "inom 14 dagar" in smtp_server.text(mail)
    assert Notification.objects.get(recipient__username="bodil").sent_at is not None
    assert Notification.objects.get(recipient__username="anna").cancelled_at is not None


def test_a_round_closed_for_answers_chases_nobody(world, smtp_server):
    """Staff can answer only a round open for answers; one the auditors have closed asks
    nothing more of them, nor of the auditors and the contact about its late reply."""
    world["round"].is_open = False
    world["round"].save(update_fields=["is_open"])

    for day in ("2026-03-17", "2026-03-28", "2026-04-01", "2026-04-14"):
        run(day)

    assert not smtp_server.to("anna@example.se")
    assert not smtp_server.to("chefen@example.se")


def test_closing_the_round_withdraws_a_waiting_reminder(world, smtp_server):
    Preference.objects.create(
        user=world["staff"], kind=Kind.BOARD_REMINDER, frequency=Frequency.WEEKLY
    )
    write_plan(dt.date(2026, 3, 17))  # a Tuesday: the reminder waits for Monday
    world["round"].is_open = False  # the auditors close the round on Thursday
    world["round"].save(update_fields=["is_open"])

    run("2026-03-23")

    assert not smtp_server.to("anna@example.se")
    assert Notification.objects.get(recipient=world["staff"]).cancelled_at is not None


def test_a_submitted_or_published_reply_stops_the_deadline_reminders(world, smtp_server):
    make_response(board=world["board"], round=world["round"], state=Response.State.SUBMITTED)

    run("2026-03-17")
    run("2026-04-01")

    assert not smtp_server.to("anna@example.se")


def test_a_draft_does_not_stop_the_deadline_reminders(world, smtp_server):
    make_response(board=world["board"], round=world["round"], state=Response.State.DRAFT)

    run("2026-03-17")

    assert len(smtp_server.to("anna@example.se")) == 1


def test_a_measure_thirty_days_overdue_is_escalated_to_auditors_and_the_contact(world, smtp_server):
    world["round"].deadline_date = None
    world["round"].save()

    run("2026-05-30")  # 30 days after 30 April

    for address in ("revisor@example.se", "chefen@example.se"):
        mails = [m for m in smtp_server.to(address) if "Kraftigt" in smtp_server.subject(m)]
        assert len(mails) == 1, address
        text = smtp_server.text(mails[0])
        assert "Ta fram en rutin" in text and "30 dagar sen" in text
    assert not any("Kraftigt" in smtp_server.subject(m) for m in smtp_server.to("anna@example.se"))
    run("2026-05-31")
    assert len(smtp_server.to("chefen@example.se")) == 1, "escalated once"


def test_a_measures_escalation_still_goes_on_the_last_day_it_may_catch_up(
    world, smtp_server, settings
):
    """After runs missed, a reminder is still sent up to NOTIFICATIONS_CATCH_UP_DAYS days
    after its day: the measure's escalation too, on the last of them."""
    settings.NOTIFICATIONS_CATCH_UP_DAYS = 14
    world["round"].deadline_date = None
    world["round"].save()

    run("2026-06-13")  # 30 + 14 days after 30 April

    mails = smtp_server.to("chefen@example.se")
    assert len(mails) == 1
    assert "Ta fram en rutin" in smtp_server.text(mails[0])
    assert "44 dagar sen" in smtp_server.text(mails[0])
    run("2026-06-14")
    assert len(smtp_server.to("chefen@example.se")) == 1, "and not a day later"


def test_a_reply_fourteen_days_late_is_escalated(world, smtp_server):
    run("2026-04-13")
    assert not smtp_server.to("chefen@example.se")

    run("2026-04-14")

    mails = smtp_server.to("chefen@example.se")
    assert len(mails) == 1
    assert "Svar som är minst 14 dagar sena" in smtp_server.text(mails[0])


def test_both_forms_of_a_reminder_say_alike_how_late_a_reply_and_a_measure_are(world, smtp_server):
    """The mail's text and HTML read one number per item (``days_late``): a reply ahead
    of its deadline is not late, one past it is, and so is an overdue measure."""
    run("2026-03-17")  # the reply is due in 14 days
    (ahead,) = smtp_server.to("anna@example.se")
    for part in (smtp_server.text(ahead), smtp_server.html(ahead)):
        assert "senast 2026-03-31" in part and "dag sen" not in part and "dagar sen" not in part
    run("2026-04-02")  # the reply two days late
    late = smtp_server.to("anna@example.se")[-1]
    for part in (smtp_server.text(late), smtp_server.html(late)):
        assert "senast 2026-03-31, 2 dagar sen" in part
    run("2026-05-01")  # the measure due in April a day late
    late = smtp_server.to("anna@example.se")[-1]
    for part in (smtp_server.text(late), smtp_server.html(late)):
        assert "Ta fram en rutin" in part and "1 dag sen" in part


def test_escalation_goes_to_the_auditors_of_the_boards_municipality_only(world, smtp_server):
    elsewhere = make_municipality(name="Annanstad", slug="annanstad")
    other_auditor = person("annan-revisor", groups=[AUDITOR_GROUP], municipality=elsewhere)
    world["round"].deadline_date = None
    world["round"].save()

    run("2026-05-30")

    assert any("Kraftigt" in smtp_server.subject(m) for m in smtp_server.to("revisor@example.se"))
    assert not any(
        "Kraftigt" in smtp_server.subject(m) for m in smtp_server.to(other_auditor.email)
    ), "another municipality's auditor is not told"


def test_an_escalation_waiting_goes_to_whom_the_planner_chose_and_to_no_one_else(world):
    """The outbox asks before it sends a row planned earlier whether the planner would
    still write it (``still_writes_to``), by the planner's own rule of whom an escalation
    goes to (``escalation_recipients``): its recipients pass, another municipality's
    auditor and the board's own staff do not, and a contact who is no longer the board's
    no longer does."""
    elsewhere = make_municipality(name="Annanstad", slug="annanstad")
    other_auditor = person("annan-revisor", groups=[AUDITOR_GROUP], municipality=elsewhere)
    world["round"].deadline_date = None
    world["round"].save()

    rows = [row for row in planning.plan(dt.date(2026, 5, 30)).rows if row.kind == Kind.ESCALATION]

    assert {row.recipient.username for row in rows} == {"revisor", "chefen"}
    assert all(planning.still_writes_to(row) for row in rows)
    for user in (other_auditor, world["staff"]):
        assert not planning.still_writes_to(
            Notification(recipient=user, kind=Kind.ESCALATION, board=world["board"])
        ), user.username
    world["board"].contact = None
    world["board"].save(update_fields=["contact"])
    (to_contact,) = [row for row in rows if row.recipient.username == "chefen"]
    to_contact.board = world["board"]
    assert not planning.still_writes_to(to_contact)


def test_auditors_get_the_att_granska_page_once_a_week(world, smtp_server):
    run("2026-04-13")  # a Monday: the reply is missing and nothing else

    mails = smtp_server.to("revisor@example.se")
    assert len(mails) == 1
    text = smtp_server.text(mails[0])
    assert "veckans sammanfattning" in smtp_server.subject(mails[0])
    assert f"Arbetsmarknadsnämnden: {world['audit']}, Första yttrande" in text
    assert "https://uppfoljning.example/att-granska/" in text
    run("2026-04-14")
    run("2026-04-19")

    def digests():
        return [
            mail
            for mail in smtp_server.to("revisor@example.se")
            if "Att granska" in smtp_server.subject(mail)
        ]

    assert len(digests()) == 1, "one a week"
    run("2026-04-20")
    assert len(digests()) == 2


def test_an_auditor_without_a_choice_gets_the_digest_as_often_as_the_default_says(
    world, monkeypatch
):
    """How often an auditor who has chosen nothing gets the digest is ``DEFAULT_FREQUENCY``'s,
    as for every other mail: the planner does not write "weekly" a second time."""
    monkeypatch.setitem(DEFAULT_FREQUENCY, Kind.AUDITOR_DIGEST, Frequency.IMMEDIATE)

    rows = planning.plan(dt.date(2026, 4, 14)).rows  # a Tuesday

    digests = [row for row in rows if row.kind == Kind.AUDITOR_DIGEST]
    assert digests and {row.stage for row in digests} == {Frequency.IMMEDIATE}
    assert {row.send_after for row in digests} == {dt.date(2026, 4, 14)}


def test_a_digest_held_back_by_a_failed_send_still_tells_what_arrived_before_it(world, smtp_server):
    Preference.objects.create(
        user=world["auditor"], kind=Kind.AUDITOR_DIGEST, frequency=Frequency.IMMEDIATE
    )
    make_response(
        board=world["board"],
        round=world["round"],
        title="Yttrande som kom in i söndags",
        published_at=dt.datetime(2026, 4, 12, 10, 0, tzinfo=dt.UTC),
    )

    def refused(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("the mail server is down")

    with mock.patch.object(EmailMessage, "send", refused):
        assert "1 failed" in run("2026-04-13")  # Monday's digest: since Sunday
    run("2026-04-14")

    mails = smtp_server.to("revisor@example.se")
    assert len(mails) == 1, "Monday's and Tuesday's digests in one mail"
    text = smtp_server.text(mails[0])
    assert "Yttrande som kom in i söndags" in text
    assert "nytt sedan 2026-04-12" in text
    assert Notification.objects.pending().count() == 0


def _digests(smtp_server):
    return [
        smtp_server.text(mail)
        for mail in smtp_server.to("revisor@example.se")
        if "Att granska" in smtp_server.subject(mail)
    ]


def _arrived(world, title, at):
    """A response of its own round (one per board and round), published ``at``."""
    sequence = Response.objects.count() + 2
    round_ = make_round(world["audit"], sequence=sequence, deadline="2026-09-30")
    make_response(board=world["board"], round=round_, title=title, published_at=at)


def _run_at(instant, today):
    """A run of send_notifications at ``instant`` (what the clock says), for ``today``."""
    with mock.patch("django.utils.timezone.now", return_value=instant):
        return run(today)


def test_a_daily_digest_tells_only_what_arrived_after_the_last_one_went(world, smtp_server):
    """An answer that arrived at night was in the morning's digest; the next morning's
    reports from when that one went, not from the whole day before, and repeats nothing."""
    Preference.objects.create(
        user=world["auditor"], kind=Kind.AUDITOR_DIGEST, frequency=Frequency.IMMEDIATE
    )
    make_response(
        board=world["board"],
        round=world["round"],
        title="Yttrande som kom in i natt",
        published_at=dt.datetime(2026, 4, 13, 1, 0, tzinfo=dt.UTC),  # 03:00 in Malmö
    )
    monday = dt.datetime(2026, 4, 13, 5, 0, tzinfo=dt.UTC)  # 07:00 in Malmö
    _run_at(monday, "2026-04-13")
    _arrived(world, "Yttrande som kom in efter utskicket", monday + dt.timedelta(hours=5))

    _run_at(monday + dt.timedelta(days=1), "2026-04-14")

    monday, tuesday = smtp_server.to("revisor@example.se")
    assert "Yttrande som kom in i natt" in smtp_server.text(monday)
    assert "Yttrande som kom in i natt" not in smtp_server.text(tuesday)
    assert "Yttrande som kom in efter utskicket" in smtp_server.text(tuesday)


def test_a_digest_after_a_failed_one_tells_everything_since_the_last_that_went(world, smtp_server):
    Preference.objects.create(
        user=world["auditor"], kind=Kind.AUDITOR_DIGEST, frequency=Frequency.IMMEDIATE
    )
    monday = dt.datetime(2026, 4, 13, 5, 0, tzinfo=dt.UTC)
    _run_at(monday, "2026-04-13")
    make_response(
        board=world["board"],
        round=world["round"],
        title="Yttrande efter måndagens utskick",
        published_at=monday + dt.timedelta(hours=5),
    )

    def refused(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("the mail server is down")

    with mock.patch.object(EmailMessage, "send", refused):
        assert "1 failed" in _run_at(monday + dt.timedelta(days=1), "2026-04-14")
    _run_at(monday + dt.timedelta(days=2), "2026-04-15")

    _monday, wednesday = smtp_server.to("revisor@example.se")
    assert "Yttrande efter måndagens utskick" in smtp_server.text(wednesday)
    assert Notification.objects.pending().count() == 0


def test_an_answer_that_arrived_just_before_a_digest_is_in_exactly_one(world, smtp_server):
    """A digest reports what arrived in a half-open window, from where the last one ended
    up to (not including) a minute before the moment it reads: an answer that arrived in
    that last minute (its transaction perhaps not yet committed) goes in the next one,
    and nothing is in two digests or in none."""
    Preference.objects.create(
        user=world["auditor"], kind=Kind.AUDITOR_DIGEST, frequency=Frequency.IMMEDIATE
    )
    monday = dt.datetime(2026, 4, 13, 5, 0, tzinfo=dt.UTC)
    titles = {
        "Yttrande två minuter före": monday - dt.timedelta(minutes=2),
        "Yttrande en minut före": monday - dt.timedelta(minutes=1),
        "Yttrande trettio sekunder före": monday - dt.timedelta(seconds=30),
    }
    for title, at in titles.items():
        _arrived(world, title, at)
    _run_at(monday, "2026-04-13")
    # Written during Monday's run, committed after it read: stamped before the run.
    _arrived(world, "Yttrande sparat under körningen", monday - dt.timedelta(seconds=5))
    _run_at(monday + dt.timedelta(days=1), "2026-04-14")

    first, second = _digests(smtp_server)
    assert "Yttrande två minuter före" in first
    for title in [*titles, "Yttrande sparat under körningen"]:
        assert (title in first) + (title in second) == 1, title
    assert "Yttrande en minut före" in second


def test_two_runs_in_the_same_minute_tell_an_answer_once(world, smtp_server):
    """A catch-up run for two days in a row, at the same moment: the second digest starts
    where the first ended, and repeats nothing."""
    Preference.objects.create(
        user=world["auditor"], kind=Kind.AUDITOR_DIGEST, frequency=Frequency.IMMEDIATE
    )
    now = dt.datetime(2026, 4, 14, 5, 0, tzinfo=dt.UTC)
    _arrived(world, "Yttrande från i går", now - dt.timedelta(hours=20))
    _run_at(now, "2026-04-13")
    _run_at(now + dt.timedelta(seconds=20), "2026-04-14")

    assert sum("Yttrande från i går" in text for text in _digests(smtp_server)) == 1
    row = Notification.objects.filter(kind=Kind.AUDITOR_DIGEST).earliest("sent_at")
    assert row.reported_until == now - outbox.DIGEST_SETTLE


def test_an_imported_answer_known_by_its_day_is_in_exactly_one_daily_digest(world, smtp_server):
    """An imported answer has no moment it arrived, only the day it is known by: the
    digests' windows count it in whole days, [the day of since, the day of until), so two
    digests running never both tell it."""
    Preference.objects.create(
        user=world["auditor"], kind=Kind.AUDITOR_DIGEST, frequency=Frequency.IMMEDIATE
    )
    other = make_round(world["audit"], sequence=2, deadline="2026-09-30")
    imported = make_response(
        board=world["board"],
        round=other,
        title="Importerat yttrande",
        decision_date="2026-04-13",
        provenance=Response.Provenance.DOCUMENT,
    )
    Response.objects.filter(pk=imported.pk).update(published_at=None)
    monday = dt.datetime(2026, 4, 13, 5, 0, tzinfo=dt.UTC)

    for day in range(3):
        _run_at(monday + dt.timedelta(days=day), f"2026-04-{13 + day}")

    texts = _digests(smtp_server)
    assert len(texts) == 3
    assert sum("Importerat yttrande" in text for text in texts) == 1


def test_every_item_of_the_digest_links_to_its_page_in_both_forms(world, smtp_server):
    other = make_board(short_code="SN", name="Servicenämnden")
    audit = make_audit(title="Granskning av servicen", boards=[other])
    make_recommendation(audit, addressed_to=[other])
    draft = make_response(
        board=other,
        round=make_round(audit, sequence=1, deadline="2026-06-30", title="Första yttrande"),
        state=Response.State.DRAFT,
        title="Servicenämndens yttrande",
    )
    with mock.patch(
        "django.utils.timezone.now", return_value=dt.datetime(2026, 4, 10, tzinfo=dt.UTC)
    ):
        hand_in(draft)

    run("2026-04-13")  # a Monday: ASN's reply is missing, Servicenämnden's has arrived

    (mail,) = [m for m in smtp_server.to("revisor@example.se") if "Att granska" in str(m)]
    text, html = smtp_server.text(mail), smtp_server.html(mail)
    arrived = f"https://uppfoljning.example{draft.get_absolute_url()}"
    missing = f"https://uppfoljning.example{world['audit'].get_absolute_url()}"
    assert f"Servicenämndens yttrande, Servicenämnden ({audit}, Första yttrande): inlämnat" in text
    assert f"  {arrived}\r\n" in text
    assert f'<a href="{arrived}">Servicenämndens yttrande</a>' in html
    assert f"Arbetsmarknadsnämnden: {world['audit']}, Första yttrande" in text
    assert f"  {missing}\r\n" in text
    assert f'<a href="{missing}">{audit_name(world["audit"])}</a>, Första yttrande' in html


def test_off_means_no_mail_of_that_kind(world, smtp_server):
    Preference.objects.create(user=world["staff"], kind=Kind.BOARD_REMINDER, frequency="off")

    run("2026-03-17")

    assert not smtp_server.to("anna@example.se")


def test_the_mail_is_in_the_recipients_language(world, smtp_server):
    Profile.objects.create(user=world["staff"], language="en")

    run("2026-03-17")

    mail = smtp_server.to("anna@example.se")[0]
    assert smtp_server.subject(mail) == "Reminder from Follow-up: Arbetsmarknadsnämnden"
    assert "within 14 days" in smtp_server.text(mail)


def test_every_mail_carries_a_one_click_unsubscribe_for_its_kind(world, smtp_server, client):
    run("2026-03-17")
    mail = smtp_server.to("anna@example.se")[0]

    header = mail["List-Unsubscribe"].strip()
    assert mail["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    url = header.strip("<>")
    assert url in smtp_server.text(mail)
    path = url.removeprefix("https://uppfoljning.example")
    assert client.post(path).status_code == 200

    assert Preference.frequency_for(world["staff"], Kind.BOARD_REMINDER) == Frequency.OFF
    run("2026-03-28")
    assert len(smtp_server.to("anna@example.se")) == 1


def test_every_mail_says_it_is_automatic_so_no_out_of_office_reply_comes_back(world, smtp_server):
    run("2026-04-13")  # the staff's reminder and the auditors' digest

    assert len(smtp_server.messages) >= 2
    for _recipients, mail in smtp_server.messages:
        assert mail["Auto-Submitted"] == "auto-generated"
        assert mail["X-Auto-Response-Suppress"] == "All"


def test_a_crash_between_two_mails_loses_nothing_and_repeats_nothing(world, smtp_server):
    other = make_board(short_code="SN", name="Servicenämnden")
    person("sven", groups=[STAFF_GROUP], boards=[other])
    audit = make_audit(boards=[other])
    make_round(audit, sequence=1, deadline=DEADLINE, is_open=True)
    make_recommendation(audit, addressed_to=[other])
    real_send = EmailMessage.send
    calls = []

    def send_then_crash(self, *args, **kwargs):
        calls.append(self.to)
        if len(calls) == 2:
            raise RuntimeError("the machine went down")
        return real_send(self, *args, **kwargs)

    with (
        mock.patch.object(EmailMessage, "send", send_then_crash),
        pytest.raises(RuntimeError),
    ):
        run("2026-03-17")
    assert len(smtp_server.messages) == 1
    first = smtp_server.recipients

    run("2026-03-17")

    everyone = smtp_server.recipients
    assert len(everyone) == 2, "anna and sven once each"
    assert sorted(set(everyone)) == everyone
    assert set(first) < set(everyone)
    assert Notification.objects.pending().count() == 0


def test_a_mail_that_cannot_be_written_does_not_hold_back_the_others(world, smtp_server):
    """A mail whose content fails to render (a fault in the data or the code) waits for
    the next run; everyone else's mail still goes, this run and every later one."""
    other = make_board(short_code="SN", name="Servicenämnden")
    person("sven", groups=[STAFF_GROUP], boards=[other])
    audit = make_audit(boards=[other])
    make_round(audit, sequence=1, deadline=DEADLINE, is_open=True)
    make_recommendation(audit, addressed_to=[other])
    real_compose = outbox._compose

    def compose_but_not_for_anna(rows, today, now):
        if rows[0].email == "anna@example.se":
            raise ValueError("a template fault")
        return real_compose(rows, today, now)

    with mock.patch.object(outbox, "_compose", compose_but_not_for_anna):
        output = run("2026-03-17")

    assert smtp_server.recipients == ["sven@example.se"]
    assert "1 failed" in output
    assert Notification.objects.pending().get().recipient == world["staff"]
    run("2026-03-17")
    assert smtp_server.recipients == ["anna@example.se", "sven@example.se"]


def test_a_mail_refused_for_good_is_not_retried_and_says_why(world, smtp_server):
    """A 5xx answer to the recipient (no such mailbox) would come again every day: the
    row is marked refused with the server's answer, and the next run leaves it."""
    smtp_server.refuse["anna@example.se"] = "550 5.1.1 No such user here"

    output = run("2026-03-17")

    assert "1 refused for good" in output
    assert not smtp_server.messages
    row = Notification.objects.get(recipient=world["staff"])
    assert row.refused_at is not None
    assert row.refusal == "550 5.1.1 No such user here"
    assert row.sent_at is None
    assert not Notification.objects.pending().exists()
    del smtp_server.refuse["anna@example.se"]
    assert "0 mails sent" in run("2026-03-17")
    assert not smtp_server.messages


def test_a_mail_refused_for_now_waits_for_the_next_run(world, smtp_server):
    smtp_server.refuse["anna@example.se"] = "450 4.2.1 Mailbox busy, try later"

    assert "1 failed" in run("2026-03-17")

    row = Notification.objects.pending().get(recipient=world["staff"])
    assert row.refused_at is None
    del smtp_server.refuse["anna@example.se"]
    run("2026-03-17")
    assert len(smtp_server.to("anna@example.se")) == 1
    assert not Notification.objects.pending().exists()


def test_a_refused_mail_holds_back_no_other(world, smtp_server):
    other = make_board(short_code="SN", name="Servicenämnden")
    person("sven", groups=[STAFF_GROUP], boards=[other])
    audit = make_audit(boards=[other])
    make_round(audit, sequence=1, deadline=DEADLINE, is_open=True)
    make_recommendation(audit, addressed_to=[other])
    smtp_server.refuse["anna@example.se"] = "550 5.1.1 No such user here"

    run("2026-03-17")

    assert smtp_server.recipients == ["sven@example.se"]
    assert not Notification.objects.pending().exists()


def test_our_own_sender_refused_is_not_blamed_on_the_recipient(world, smtp_server):
    """A 5xx to the sender address is the configuration's fault and refuses every mail
    alike: the rows wait until it is put right, none is marked refused."""

    def sender_refused(self, *args, **kwargs):
        raise smtplib.SMTPSenderRefused(553, b"Sender address rejected", "noreply@example.se")

    with mock.patch.object(EmailMessage, "send", sender_refused):
        assert "1 failed" in run("2026-03-17")

    assert Notification.objects.pending().count() == 1
    assert not Notification.objects.filter(refused_at__isnull=False).exists()


def test_a_users_address_refused_for_good_is_not_mailed_again_until_it_changes(world, smtp_server):
    """The staff's own address refused (no such mailbox) is kept on their profile: no
    later reminder, of any kind, is planned or sent to it, as a follower's refused address
    follows no more; once an admin has put in another address, the mail goes there."""
    smtp_server.refuse["anna@example.se"] = "550 5.1.1 No such user here"
    assert "1 refused for good" in run("2026-03-17")
    profile = Profile.objects.get(user=world["staff"])
    assert profile.refused_email == "anna@example.se"
    assert profile.refusal == "550 5.1.1 No such user here"

    output = run("2026-03-28")  # the three days' reminder

    assert "0 refused for good" in output
    assert not Notification.objects.filter(recipient=world["staff"], stage="deadline_3").exists()
    world["staff"].email = "anna.andersson@example.se"
    world["staff"].save(update_fields=["email"])
    run("2026-03-29")
    [mail] = smtp_server.to("anna.andersson@example.se")
    assert "inom 3 dagar" in smtp_server.text(mail)


def test_a_waiting_mail_to_an_address_refused_since_is_not_sent(world, smtp_server):
    """A weekly reminder planned before the address was refused (by another mail of the
    same run, say) is withdrawn when its turn comes, not tried again."""
    Preference.objects.create(
        user=world["staff"], kind=Kind.BOARD_REMINDER, frequency=Frequency.WEEKLY
    )
    run("2026-03-17")  # waits for Monday
    Profile.objects.create(
        user=world["staff"], refused_email="ANNA@example.se", refusal="550 No such user"
    )

    output = run("2026-03-23")

    assert not smtp_server.messages
    assert "1 cancelled at send time" in output


def test_a_dry_run_writes_and_sends_nothing(world, smtp_server):
    output = run("2026-03-17", "--dry-run", "--verbosity=2")

    assert "anna@example.se" in output
    assert "[dry run]" in output
    assert not smtp_server.messages
    assert not Notification.objects.exists()


def test_a_wrong_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_notifications", "--today=17/3")


def test_reminders_years_late_are_not_sent(world, smtp_server):
    run("2029-01-01")

    assert not smtp_server.to("anna@example.se")
    assert not smtp_server.to("chefen@example.se")


def _add_boards(numbers):
    for number in numbers:
        board = make_board(short_code=f"B{number}")
        person(f"staff{number}", groups=[STAFF_GROUP], boards=[board])
        audit = make_audit(boards=[board])
        make_round(audit, sequence=1, deadline=DEADLINE, is_open=True)
        recommendation = make_recommendation(audit, addressed_to=[board])
        make_measure(recommendation, board=board, due="2026-03-25")
        make_measure(recommendation, board=board, due="2026-03-26")


def _planning_queries(today):
    with CaptureQueriesContext(connection) as queries:
        write_plan(today)
    return len(queries)


def test_planning_costs_the_same_number_of_queries_for_more_data(world):
    """Planning reads boards, measures, staff and choices in bulk, never per measure."""
    _add_boards(range(1))
    small = _planning_queries(dt.date(2026, 3, 17))
    Notification.objects.all().delete()
    _add_boards(range(1, 7))

    large = _planning_queries(dt.date(2026, 3, 17))

    assert large == small
    assert Notification.objects.filter(stage="due_soon").count() == 2 * 7

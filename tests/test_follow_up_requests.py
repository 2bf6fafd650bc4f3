"""Auditors ask the boards for a follow-up from the audit's page: a new round with its
deadline and the boards it asks, which the boards' staff may then answer; and they move its
deadline or close it when it is done."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from auditfollowup.lib.dates import FuzzyDate
from notifications import planning
from recommendations.assessment_forms import FollowUpRequestForm
from recommendations.models import FollowUpRound
from recommendations.reminders import SCHEDULE
from recommendations.roles import AUDITOR_GROUP
from responses.models import Response

from .concurrency import second_while_first_holds_its_locks
from .factories import build_world, hand_in, make_board, make_town, make_user


def request_url(audit):
    return reverse("auditors:request_follow_up", args=[audit.pk])


def change_url(round_):
    return reverse("auditors:change_follow_up", args=[round_.audit_id, round_.pk])


def follow_up(**overrides) -> dict:
    data = {
        "kind": FollowUpRound.Kind.MEASURES_TAKEN,
        "title": "Uppföljning 2027",
        "deadline": "2099-03-31",
        "request": "Redovisa vidtagna åtgärder.",
        "requested_by": "Revisorskollegiet",
        "is_open": "on",
        # The number the form announced ("Omgången blir granskningens omgång 3"); a
        # change of a round has none.
        "announced_sequence": "3",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def change_of(round_, **overrides) -> dict:
    """A change of ``round_`` sent from a page that showed the round as it is stored now
    (its fingerprint, ``shown_fingerprint``)."""
    shown = FollowUpRequestForm.fingerprint(FollowUpRound.objects.get(pk=round_.pk))
    return follow_up(shown_fingerprint=shown, **overrides)


def test_auditors_ask_for_a_follow_up_and_the_round_takes_the_next_number(client, world):
    client.force_login(world.auditor)
    answer = client.post(request_url(world.audit), follow_up(asks=[world.board_a.pk]))

    new_round = FollowUpRound.objects.get(audit=world.audit, sequence=3)
    assert answer.status_code == 302
    assert answer["Location"] == world.audit.get_absolute_url()
    assert (new_round.title, new_round.is_open) == ("Uppföljning 2027", True)
    assert new_round.deadline == FuzzyDate.parse("2099-03-31")
    assert list(new_round.asks.all()) == [world.board_a]
    [message] = [str(m) for m in get_messages(answer.wsgi_request)]
    assert message.startswith("Omgång 3 är begärd.")


def test_the_boards_staff_may_answer_the_round_the_auditors_opened(client, world):
    client.force_login(world.auditor)
    client.post(request_url(world.audit), follow_up(title="Uppföljning av ASN", asks=[]))

    client.force_login(world.staff_a)
    start = client.get(reverse("responses:response_start"))
    assert "Uppföljning av ASN" in start.text


def test_a_round_asking_one_board_is_not_offered_to_another(client, world):
    client.force_login(world.auditor)
    client.post(request_url(world.audit), follow_up(title="Bara SN", asks=[world.board_b.pk]))

    client.force_login(world.staff_a)
    assert "Bara SN" not in client.get(reverse("responses:response_start")).text
    client.force_login(world.staff_b)
    assert "Bara SN" in client.get(reverse("responses:response_start")).text


def test_the_form_opens_with_the_audits_auditors_as_requester_and_the_round_open(client, world):
    client.force_login(world.auditor)
    page = client.get(request_url(world.audit))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["requested_by"].value() == "Revisorskollegiet"
    assert form["is_open"].value() is True
    assert form["kind"].value() == FollowUpRound.Kind.MEASURES_TAKEN
    assert "Omgången blir granskningens omgång 3." in page.text


def test_the_boards_offered_are_the_audits_municipalitys_not_the_auditors_own_body(client, world):
    make_town("Lund", "lund", "LKS", "lund")
    client.force_login(world.auditor)
    offered = client.get(request_url(world.audit)).context["form"].fields["asks"].queryset
    assert list(offered) == [world.board_a, world.board_b]


def test_an_open_round_needs_a_deadline(client, world):
    client.force_login(world.auditor)
    answer = client.post(request_url(world.audit), follow_up(deadline=""))
    assert answer.status_code == 400
    assert "Ange när nämnderna senast ska svara i en öppen omgång." in answer.text
    assert not FollowUpRound.objects.filter(sequence=3).exists()


def test_a_new_deadline_that_has_passed_is_refused(client, world):
    client.force_login(world.auditor)
    answer = client.post(request_url(world.audit), follow_up(deadline="2020-01-31"))
    assert answer.status_code == 400
    assert "Sista svarsdagen har redan passerat. Ange en senare dag, eller kryssa ur" in answer.text
    assert not FollowUpRound.objects.filter(sequence=3).exists()


def test_a_deadline_typed_as_a_season_is_kept_as_one(client, world):
    client.force_login(world.auditor)
    client.post(request_url(world.audit), follow_up(deadline="hösten 2099"))
    assert FollowUpRound.objects.get(sequence=3).deadline == FuzzyDate.parse("hösten 2099")


def test_closing_a_round_keeps_its_number_and_its_staff_are_no_longer_offered_it(client, world):
    client.force_login(world.auditor)
    answer = client.post(
        change_url(world.round2),
        change_of(world.round2, title=world.round2.title, deadline="2099-09-30", is_open=None),
    )
    assert answer.status_code == 302
    world.round2.refresh_from_db()
    assert (world.round2.sequence, world.round2.is_open) == (2, False)
    [message] = [str(m) for m in get_messages(answer.wsgi_request)]
    assert message == "Omgång 2 är sparad. Den är stängd för yttranden."

    client.force_login(world.staff_a)
    assert world.round2.title not in client.get(reverse("responses:response_start")).text


def test_an_old_round_without_a_deadline_can_be_closed(client, world):
    """The seeds' first rounds have no deadline: closing one asks for none."""
    client.force_login(world.auditor)
    data = change_of(world.round1, title=world.round1.title, deadline="", is_open=None)
    assert client.post(change_url(world.round1), data).status_code == 302


def test_an_open_round_keeps_a_deadline_that_has_passed_when_it_is_not_moved(client, world):
    world.round2.deadline = FuzzyDate.parse("2020-09-30")
    world.round2.save()
    client.force_login(world.auditor)
    data = change_of(world.round2, title="Ny rubrik", deadline="2020-09-30")
    assert client.post(change_url(world.round2), data).status_code == 302
    world.round2.refresh_from_db()
    assert world.round2.title == "Ny rubrik"


def test_moving_a_rounds_deadline_is_said_in_the_message(client, world):
    client.force_login(world.auditor)
    answer = client.post(change_url(world.round2), change_of(world.round2, deadline="2099-10-31"))
    [message] = [str(m) for m in get_messages(answer.wsgi_request)]
    assert message == "Omgång 2 är ändrad. Nämnderna ska svara senast 2099-10-31."


def test_a_round_of_another_audit_is_not_found_under_this_one(client, world):
    other = make_town("Lund", "lund", "LKS", "lund")[3]
    client.force_login(world.auditor)
    url = reverse("auditors:change_follow_up", args=[world.audit.pk, other.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_auditor_of_another_municipality_gets_404_and_nothing_is_written(client, world, method):
    _lund, _board, audit, round_, _rec, _submitted = make_town("Lund", "lund", "LKS", "lund")
    client.force_login(world.auditor)
    for url in (request_url(audit), change_url(round_)):
        assert getattr(client, method)(url, follow_up()).status_code == 404
    assert audit.rounds.count() == 1
    round_.refresh_from_db()
    assert round_.title != "Uppföljning 2027"


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("sv", "påminns {early} och {last} dagar före sista svarsdagen"),
        ("en", "reminded {early} and {last} days before the reply deadline"),
    ],
)
def test_the_form_tells_the_auditors_the_days_the_boards_are_reminded_on(
    client, world, language, said
):
    """The page's lead and the help of *open for answers* name the days of the one
    schedule (``reminders.SCHEDULE``) the mail planner reminds on: the planner's first
    and last reminder fall on exactly those days ahead of the deadline, and its late
    reminder on the day after it, as the page says ("dagen efter den")."""
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    client.force_login(world.auditor)
    page = client.get(request_url(world.audit))

    said = said.format(early=SCHEDULE.early_reminder, last=SCHEDULE.last_reminder)
    assert page.text.count(said) == 2, "in the lead and in the help of the checkbox"
    for days in (SCHEDULE.early_reminder, SCHEDULE.last_reminder):
        assert planning.deadline_stage(-days) != planning.deadline_stage(-days - 1)
    assert planning.deadline_stage(-SCHEDULE.last_reminder - 1) == "deadline_14"
    assert planning.deadline_stage(-SCHEDULE.early_reminder - 1) is None
    assert SCHEDULE.late_reminder == 1, "the page says the day after the deadline"
    assert planning.deadline_stage(1) == "deadline_passed"


def test_board_staff_may_not_ask_for_a_follow_up(client, world):
    client.force_login(world.staff_a)
    assert client.post(request_url(world.audit), follow_up()).status_code == 403
    assert world.audit.rounds.count() == 2


def test_the_public_is_sent_to_log_in(client, world):
    answer = client.get(request_url(world.audit))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "sees_it"), [("public", False), ("staff_a", False), ("auditor", True)]
)
def test_the_audit_page_offers_the_follow_up_to_its_municipalitys_auditors(
    client, world, role, sees_it
):
    if role != "public":
        client.force_login(getattr(world, role))
    page = client.get(world.audit.get_absolute_url())
    assert (request_url(world.audit) in page.text) is sees_it
    assert (change_url(world.round2) in page.text) is sees_it


def test_the_audit_page_does_not_offer_another_municipalitys_auditor_the_follow_up(client, world):
    lund = make_town("Lund", "lund", "LKS", "lund")[0]
    client.force_login(make_user("lund-revisor", groups=[AUDITOR_GROUP], municipality=lund))
    page = client.get(world.audit.get_absolute_url())
    assert page.status_code == 200
    assert request_url(world.audit) not in page.text


def test_the_form_page_reads_the_same_number_of_queries_however_many_boards(client, world):
    client.force_login(world.auditor)
    with CaptureQueriesContext(connection) as few:
        client.get(request_url(world.audit))
    for number in range(10):
        make_board(short_code=f"N{number}", name=f"Nämnd {number}", municipality=world.municipality)
    with CaptureQueriesContext(connection) as many:
        page = client.get(request_url(world.audit))
    assert "Nämnd 9" in page.text
    assert len(many) == len(few)


def test_the_audit_page_tells_its_auditors_whom_an_open_round_still_waits_for(client, world):
    draft = Response.objects.create(board=world.board_a, round=world.round2, title="Utkast")
    client.force_login(world.auditor)

    page = client.get(world.audit.get_absolute_url()).text

    waiting = page.split('class="waiting"')[1].split("</p>")[0]
    # Board A has only a draft, which is its own: both still owe the round an answer.
    assert world.board_a.name in waiting and world.board_b.name in waiting
    hand_in(draft)
    page = client.get(world.audit.get_absolute_url()).text
    waiting = page.split('class="waiting"')[1].split("</p>")[0]
    assert world.board_a.name not in waiting and world.board_b.name in waiting


def test_the_public_is_not_told_who_has_handed_in_an_answer(client, world):
    assert 'class="waiting"' not in client.get(world.audit.get_absolute_url()).text


def test_the_audit_page_reads_the_same_number_of_queries_for_its_auditors_however_many_boards(
    client, world
):
    client.force_login(world.auditor)
    with CaptureQueriesContext(connection) as few:
        client.get(world.audit.get_absolute_url())
    for number in range(5):
        board = make_board(
            short_code=f"N{number}", name=f"Nämnd {number}", municipality=world.municipality
        )
        world.round2.asks.add(board)
    with CaptureQueriesContext(connection) as many:
        page = client.get(world.audit.get_absolute_url())
    assert "Nämnd 4" in page.text
    assert len(many) == len(few)


def test_reopening_a_closed_round_whose_deadline_has_passed_asks_for_a_new_deadline(client, world):
    """Reopening a round asks its boards again: a deadline already past would chase them
    for an answer late the day they are told, as a new round's would."""
    world.round2.deadline = FuzzyDate.parse("2020-09-30")
    world.round2.is_open = False
    world.round2.save()
    client.force_login(world.auditor)

    answer = client.post(change_url(world.round2), change_of(world.round2, deadline="2020-09-30"))

    assert answer.status_code == 400
    assert "Sista svarsdagen har redan passerat. Ange en senare dag, eller kryssa ur" in answer.text
    world.round2.refresh_from_db()
    assert world.round2.is_open is False
    data = change_of(world.round2, deadline="2099-09-30")
    assert client.post(change_url(world.round2), data).status_code == 302


def test_a_form_sent_twice_opens_one_round_not_two(client, world):
    """A double click, or a form sent again from the browser's history: the second asks
    for the round the first opened already, and is refused with the form as it was."""
    client.force_login(world.auditor)
    first = client.post(request_url(world.audit), follow_up())
    second = client.post(request_url(world.audit), follow_up())

    assert (first.status_code, second.status_code) == (302, 409)
    assert list(world.audit.rounds.values_list("sequence", flat=True)) == [1, 2, 3]
    assert "Omgång 3 har begärts medan formuläret var öppet" in second.text
    # Sent again as it now stands, it asks deliberately for round 4.
    assert 'name="announced_sequence" value="4"' in second.text
    assert second.context["form"]["title"].value() == "Uppföljning 2027"
    assert (
        client.post(request_url(world.audit), follow_up(announced_sequence="4")).status_code == 302
    )
    assert world.audit.rounds.count() == 4


@pytest.mark.parametrize("announced", ["2", "5", "", "x", "99999999999999999999"])
def test_a_round_number_other_than_the_next_is_never_taken(client, world, announced):
    client.force_login(world.auditor)
    answer = client.post(request_url(world.audit), follow_up(announced_sequence=announced))
    assert answer.status_code in (400, 409)
    assert answer.context["form"].non_field_errors()  # said at the top: the field is hidden
    assert world.audit.rounds.count() == 2


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_of_two_auditors_asking_at_once_for_the_next_round_the_second_is_refused():
    """Both forms announced round 3: the second waits for the first's lock on the audit,
    then finds round 3 taken and is refused, instead of opening a round 4 nobody saw."""
    from django.test import Client

    world = build_world()
    colleague = make_user("kollega", groups=[AUDITOR_GROUP])

    def asks_as(user):
        def ask():
            client = Client()
            client.force_login(user)
            return client.post(request_url(world.audit), follow_up()).status_code

        return ask

    answers = second_while_first_holds_its_locks(asks_as(world.auditor), asks_as(colleague))

    assert answers == (302, 409)
    assert list(world.audit.rounds.values_list("sequence", flat=True)) == [1, 2, 3]


@pytest.mark.parametrize("board_id", ["99999999999999999999", "-99999999999999999999", "²", "1.5"])
def test_a_board_id_no_board_can_have_is_refused_as_an_unknown_choice(client, world, board_id):
    client.force_login(world.auditor)
    answer = client.post(request_url(world.audit), follow_up(asks=[world.board_a.pk, board_id]))
    assert answer.status_code == 400
    assert "asks" in answer.context["form"].errors
    assert world.audit.rounds.count() == 2


def test_an_open_round_that_would_ask_no_board_is_refused(client, world):
    """Naming no board asks every board answering an open recommendation of the audit:
    with all of them closed, that is none, and the round would wait for nobody while the
    message said the boards' staff may now answer."""
    for recommendation in (world.rec1, world.rec2, world.rec_b):
        recommendation.close(dt.date(2024, 1, 31), "Åtgärdad.", world.auditor)
    client.force_login(world.auditor)

    answer = client.post(request_url(world.audit), follow_up(asks=[]))

    assert answer.status_code == 400
    assert "Omgången frågar ingen nämnd" in answer.text
    assert world.audit.rounds.count() == 2
    # Naming a board asks it, and a round closed for answers asks nobody.
    named = follow_up(asks=[world.board_b.pk])
    assert client.post(request_url(world.audit), named).status_code == 302
    closed = follow_up(asks=[], is_open=None, announced_sequence="4")
    assert client.post(request_url(world.audit), closed).status_code == 302


def test_a_change_of_a_round_ignores_a_number_posted_with_it(client, world):
    client.force_login(world.auditor)
    data = change_of(world.round2, title="Ny rubrik", announced_sequence="x")
    assert client.post(change_url(world.round2), data).status_code == 302
    world.round2.refresh_from_db()
    assert (world.round2.sequence, world.round2.title) == (2, "Ny rubrik")


def test_a_change_sent_from_the_page_as_it_shows_the_round_is_saved(client, world):
    client.force_login(world.auditor)
    page = client.get(change_url(world.round2))
    shown = page.context["form"]["shown_fingerprint"].value()
    assert f'name="shown_fingerprint" value="{shown}"' in page.text

    answer = client.post(
        change_url(world.round2), follow_up(deadline="2099-10-31", shown_fingerprint=shown)
    )

    assert answer.status_code == 302
    world.round2.refresh_from_db()
    assert world.round2.deadline == FuzzyDate.parse("2099-10-31")


def test_a_change_of_a_round_changed_meanwhile_is_refused_with_409_and_changes_nothing(
    client, world
):
    """One auditor moves the deadline while another has the page open and closes the
    round with the old deadline in their form: the close is refused, the move kept."""
    client.force_login(world.auditor)
    shown = client.get(change_url(world.round2)).context["form"]["shown_fingerprint"].value()
    mover = change_of(world.round2, title=world.round2.title, deadline="2099-10-31")
    assert client.post(change_url(world.round2), mover).status_code == 302

    closer = follow_up(
        title=world.round2.title, deadline="2099-03-31", is_open=None, shown_fingerprint=shown
    )
    answer = client.post(change_url(world.round2), closer)

    assert answer.status_code == 409
    world.round2.refresh_from_db()
    assert (world.round2.is_open, world.round2.deadline) == (True, FuzzyDate.parse("2099-10-31"))
    assert "Någon annan har ändrat omgång 2 medan formuläret var öppet" in answer.text
    # The form as typed, beside the round as it now stands (its moved deadline).
    form = answer.context["form"]
    assert (form["deadline"].value(), form["is_open"].value()) == ("2099-03-31", False)
    assert "Omgång 2 som den nu är" in answer.text
    assert answer.context["current"].deadline == FuzzyDate.parse("2099-10-31")
    # Sent again from that page, the auditor who has seen the round closes it after all.
    again = dict(closer, shown_fingerprint=form["shown_fingerprint"].value())
    assert again["shown_fingerprint"] != shown
    assert client.post(change_url(world.round2), again).status_code == 302
    world.round2.refresh_from_db()
    assert world.round2.is_open is False


def test_a_change_of_the_boards_asked_meanwhile_is_seen_as_a_change(client, world):
    client.force_login(world.auditor)
    shown = client.get(change_url(world.round2)).context["form"]["shown_fingerprint"].value()
    world.round2.asks.add(world.board_b)

    answer = client.post(change_url(world.round2), follow_up(shown_fingerprint=shown))

    assert answer.status_code == 409
    assert list(world.round2.asks.all()) == [world.board_b]


@pytest.mark.parametrize("fingerprint", [None, "", "x", "0123456789abcdeg", "0" * 17, "²" * 16])
def test_a_change_with_a_junk_or_missing_fingerprint_is_refused_with_400(
    client, world, fingerprint
):
    client.force_login(world.auditor)
    title = world.round2.title
    answer = client.post(
        change_url(world.round2), follow_up(title="Ny rubrik", shown_fingerprint=fingerprint)
    )
    assert answer.status_code == 400
    assert "Formuläret kom inte fram helt." in answer.text
    world.round2.refresh_from_db()
    assert world.round2.title == title
    # The form shown again shows the round anew: sent again, it is saved.
    shown = answer.context["form"]["shown_fingerprint"].value()
    data = follow_up(title="Ny rubrik", shown_fingerprint=shown)
    assert client.post(change_url(world.round2), data).status_code == 302


def test_the_change_page_reads_the_same_number_of_queries_however_many_boards_it_asks(
    client, world
):
    client.force_login(world.auditor)
    with CaptureQueriesContext(connection) as few:
        client.get(change_url(world.round2))
    for number in range(10):
        board = make_board(
            short_code=f"N{number}", name=f"Nämnd {number}", municipality=world.municipality
        )
        world.round2.asks.add(board)
    with CaptureQueriesContext(connection) as many:
        page = client.get(change_url(world.round2))
    assert "Nämnd 9" in page.text
    assert len(many) == len(few)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_of_two_auditors_changing_a_round_at_once_the_second_is_refused():
    """Both pages showed round 2 as it was: the second save waits for the first's lock
    on the round, then finds it changed and saves nothing, instead of undoing the first."""
    from django.test import Client

    world = build_world()
    colleague = make_user("kollega", groups=[AUDITOR_GROUP])
    shown = change_of(world.round2)["shown_fingerprint"]

    def changes_as(user, **changes):
        def change():
            client = Client()
            client.force_login(user)
            data = follow_up(shown_fingerprint=shown, **changes)
            return client.post(change_url(world.round2), data).status_code

        return change

    answers = second_while_first_holds_its_locks(
        changes_as(world.auditor, deadline="2099-10-31"), changes_as(colleague, is_open=None)
    )

    assert answers == (302, 409)
    world.round2.refresh_from_db()
    assert (world.round2.is_open, world.round2.deadline) == (True, FuzzyDate.parse("2099-10-31"))

"""An admin and an auditor changing one follow-up round do not overwrite each other unseen:
the admin's change form of a round carries the fingerprint of the round its page showed and
saves only if the round is still so, under a row lock on the round, as the auditors' form
does (``ChangedOnlyAsShown``, one mechanism for both). A stale save changes nothing and
answers 409 with the form as typed, a message and the round as it now stands."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from auditfollowup.lib.dates import FuzzyDate
from recommendations.assessment_forms import FollowUpRequestForm
from recommendations.models import FollowUpRound
from recommendations.roles import ADMIN_GROUP

from .concurrency import second_while_first_holds_its_locks
from .factories import admin_page_data, build_world, make_board, make_user

pytestmark = pytest.mark.django_db

CHANGED_MEANWHILE = "Någon annan har ändrat omgång 2 medan formuläret var öppet"


def admin_url(round_):
    return reverse("admin:recommendations_followupround_change", args=[round_.pk])


def auditors_url(round_):
    return reverse("auditors:change_follow_up", args=[round_.audit_id, round_.pk])


@pytest.fixture
def admin_client(client, world):
    admin = make_user("kommunadmin", groups=[ADMIN_GROUP], is_staff=True)
    client.force_login(admin)
    return client


def auditors_change(round_, **changes) -> dict:
    """The auditors' change form of ``round_`` as its page shows it now, with ``changes``."""
    round_ = FollowUpRound.objects.get(pk=round_.pk)
    data = {
        "kind": round_.kind,
        "title": round_.title,
        "deadline": str(round_.deadline),
        "request": round_.request,
        "requested_by": round_.requested_by,
        "is_open": "on" if round_.is_open else None,
        "asks": [board.pk for board in round_.asks.all()],
        "shown_fingerprint": FollowUpRequestForm.fingerprint(round_),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def auditor_saves(client, world, **changes):
    client.force_login(world.auditor)
    return client.post(auditors_url(world.round2), auditors_change(world.round2, **changes))


def test_an_admin_save_of_a_round_an_auditor_changed_meanwhile_changes_nothing(admin_client, world):
    """The admin opened round 2, an auditor then moved its deadline; the admin's save of a
    new title is refused, the moved deadline kept, and the page shows the round as it now
    stands above the form as typed."""
    from django.test import Client

    shown = admin_page_data(admin_client.get(admin_url(world.round2)))
    assert auditor_saves(Client(), world, deadline="2099-10-31").status_code == 302

    page = admin_client.post(admin_url(world.round2), dict(shown, title="Admins rubrik"))

    assert page.status_code == 409
    world.round2.refresh_from_db()
    assert (world.round2.title, world.round2.deadline) == (
        "Lägesbeskrivning",
        FuzzyDate.parse("2099-10-31"),
    )
    assert CHANGED_MEANWHILE in page.text and "inget av det du skrev är sparat" in page.text
    assert "Omgång 2 som den nu är" in page.text
    assert page.context["adminform"].form["title"].value() == "Admins rubrik"
    assert page.context["adminform"].form.current.deadline == FuzzyDate.parse("2099-10-31")
    # Sent again from that page, the admin who has seen the round replaces it after all.
    again = admin_page_data(page)
    assert again["shown_fingerprint"] != shown["shown_fingerprint"]
    assert admin_client.post(admin_url(world.round2), again).status_code == 302
    world.round2.refresh_from_db()
    assert world.round2.title == "Admins rubrik"


def test_an_auditors_save_of_a_round_an_admin_changed_meanwhile_changes_nothing(
    admin_client, world
):
    from django.test import Client

    auditor = Client()
    auditor.force_login(world.auditor)
    shown = auditors_change(world.round2, is_open=None)  # the auditor's page, open now
    data = admin_page_data(admin_client.get(admin_url(world.round2)))
    assert (
        admin_client.post(admin_url(world.round2), dict(data, deadline="2099-11-30")).status_code
        == 302
    )

    answer = auditor.post(auditors_url(world.round2), shown)

    assert answer.status_code == 409
    assert CHANGED_MEANWHILE in answer.text
    world.round2.refresh_from_db()
    assert (world.round2.is_open, world.round2.deadline) == (True, FuzzyDate.parse("2099-11-30"))


def test_an_admin_save_of_a_round_as_its_page_showed_it_is_saved(admin_client, world):
    data = admin_page_data(admin_client.get(admin_url(world.round2)))

    page = admin_client.post(admin_url(world.round2), dict(data, asks=[world.board_b.pk]))

    assert page.status_code == 302
    assert list(world.round2.asks.all()) == [world.board_b]


def test_a_change_of_the_boards_asked_meanwhile_is_seen_by_the_admins_form(admin_client, world):
    data = admin_page_data(admin_client.get(admin_url(world.round2)))
    world.round2.asks.add(world.board_a)

    page = admin_client.post(admin_url(world.round2), dict(data, title="Ny rubrik"))

    assert page.status_code == 409
    assert FollowUpRound.objects.get(pk=world.round2.pk).title == "Lägesbeskrivning"


@pytest.mark.parametrize("fingerprint", [None, "", "0123456789abcdeg", "²" * 16])
def test_an_admin_save_with_a_junk_or_missing_fingerprint_changes_nothing(
    admin_client, world, fingerprint
):
    data = admin_page_data(admin_client.get(admin_url(world.round2)))
    data = dict(data, title="Ny rubrik", shown_fingerprint=fingerprint)

    page = admin_client.post(
        admin_url(world.round2), {k: v for k, v in data.items() if v is not None}
    )

    assert page.status_code == 200
    assert "Formuläret kom inte fram helt. Skicka det igen." in page.text
    assert FollowUpRound.objects.get(pk=world.round2.pk).title == "Lägesbeskrivning"
    # The form shown again shows the round anew: sent again, it is saved.
    assert admin_client.post(admin_url(world.round2), admin_page_data(page)).status_code == 302
    assert FollowUpRound.objects.get(pk=world.round2.pk).title == "Ny rubrik"


def test_an_admin_adds_a_round_without_a_fingerprint(admin_client, world):
    page = admin_client.get(reverse("admin:recommendations_followupround_add"))
    assert "shown_fingerprint" not in page.text

    added = admin_client.post(
        reverse("admin:recommendations_followupround_add"),
        {
            "audit": world.audit.pk,
            "sequence": 3,
            "kind": FollowUpRound.Kind.MEASURES_TAKEN,
            "title": "Uppföljning 2027",
            "deadline": "2099-03-31",
        },
    )

    assert added.status_code == 302
    assert world.audit.rounds.filter(sequence=3, title="Uppföljning 2027").exists()


def test_the_admins_round_page_reads_the_same_queries_however_many_boards_it_asks(
    admin_client, world
):
    """The asks are read once, for the form's choices and its fingerprint alike. The save
    costs two queries more than before the check, the locked read of the round and of its
    asks (11 queries to open the page, 39 to save it, 37 before), however many."""
    url = admin_url(world.round2)
    world.round2.asks.add(world.board_a)

    def costs():
        with CaptureQueriesContext(connection) as opened:
            data = admin_page_data(admin_client.get(url))
        with CaptureQueriesContext(connection) as saved:
            assert admin_client.post(url, data).status_code == 302
        return len(opened), len(saved)

    costs()  # Django's caches filled (the content types of the change log)
    few = costs()
    for number in range(10):
        board = make_board(
            short_code=f"N{number}", name=f"Nämnd {number}", municipality=world.municipality
        )
        world.round2.asks.add(board)

    assert costs() == few


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("admin_first", [True, False])
def test_of_an_admin_and_an_auditor_changing_a_round_at_once_the_second_is_refused(
    admin_first,
):
    """Both pages showed round 2 as it was: the second save waits for the first's lock on
    the round, then finds it changed and saves nothing, whichever of the two came first."""
    from django.test import Client

    world = build_world()
    admin = make_user("kommunadmin", groups=[ADMIN_GROUP], is_staff=True)
    admins, auditors = Client(), Client()
    admins.force_login(admin)
    auditors.force_login(world.auditor)
    admins_page = admin_page_data(admins.get(admin_url(world.round2)))
    auditors_page = auditors_change(world.round2, is_open=None)

    def admin_moves_the_deadline():
        data = dict(admins_page, deadline="2099-10-31")
        return admins.post(admin_url(world.round2), data).status_code

    def auditor_closes_the_round():
        return auditors.post(auditors_url(world.round2), auditors_page).status_code

    if admin_first:
        answers = second_while_first_holds_its_locks(
            admin_moves_the_deadline, auditor_closes_the_round
        )
        expected = {"is_open": True, "deadline": FuzzyDate.parse("2099-10-31")}
    else:
        answers = second_while_first_holds_its_locks(
            auditor_closes_the_round, admin_moves_the_deadline
        )
        expected = {"is_open": False, "deadline": FuzzyDate.parse("2099-09-30")}

    assert answers == (302, 409)
    world.round2.refresh_from_db()
    assert {"is_open": world.round2.is_open, "deadline": world.round2.deadline} == expected


def audit_url(audit):
    return reverse("admin:recommendations_audit_change", args=[audit.pk])


def test_an_audits_admin_page_shows_its_stored_rounds_read_only_with_a_link_to_their_own_page(
    admin_client, world
):
    """Edited as rows of the audit's page, a round was saved without the check of its own
    page: an auditor's change made meanwhile was overwritten unseen. The audit's page now
    shows its rounds to read, each linking to the page that checks, and still adds one."""
    page = admin_client.get(audit_url(world.audit))

    assert page.status_code == 200
    assert 'name="rounds-0-title"' not in page.text
    assert admin_url(world.round2) in page.text
    assert "Lägesbeskrivning" in page.text  # round 2's title, shown to read

    shown = admin_page_data(page)
    sent = dict(shown)
    sent.update(
        {
            "rounds-TOTAL_FORMS": str(int(shown["rounds-TOTAL_FORMS"]) + 1),
            f"rounds-{shown['rounds-TOTAL_FORMS']}-sequence": "3",
            f"rounds-{shown['rounds-TOTAL_FORMS']}-kind": FollowUpRound.Kind.MEASURES_TAKEN,
            f"rounds-{shown['rounds-TOTAL_FORMS']}-title": "Tredje omgången",
        }
    )
    # A round 2 title slipped into the post, as a stale or forged form would send it.
    sent["rounds-1-title"] = "Admins rubrik"

    assert admin_client.post(audit_url(world.audit), sent).status_code == 302
    world.round2.refresh_from_db()
    assert world.round2.title == "Lägesbeskrivning"
    assert world.audit.rounds.filter(sequence=3, title="Tredje omgången").exists()

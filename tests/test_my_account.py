"""Mitt konto: per kind off / at once / weekly, the mail language; unsubscribe without login."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from notifications import tokens
from notifications.models import Frequency, Kind, Preference, Profile
from recommendations.models import Board
from recommendations.roles import ADMIN_GROUP, AUDITOR_GROUP, STAFF_GROUP
from tests.factories import make_board, make_municipality, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_user("anna", groups=[STAFF_GROUP], boards=[make_board()])


def test_the_page_needs_a_login(client):
    response = client.get(reverse("notifications:account"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_shows_the_defaults_as_chosen(client, staff):
    client.force_login(staff)

    html = client.get(reverse("notifications:account")).content.decode()

    assert "<h1>Mitt konto</h1>" in html
    checked = re.findall(r'<input type="radio" name="(\w+)" value="(\w+)"[^>]* checked>', html)
    assert ("board_reminder", "immediate") in checked
    assert ("language", "sv") in checked
    assert "<legend>" in html, "each group of choices is named for screen readers"


def test_the_board_staffs_choice_says_it_covers_new_rounds_too(client, staff):
    """One choice turns off both the reminders and the news of a round newly opened for
    the board (``planning``): its name says both, in either language."""
    client.force_login(staff)

    swedish = client.get(reverse("notifications:account")).text
    client.get("/sprak/?language=en")
    english = client.get(reverse("notifications:account")).text

    assert (
        "<legend>Nya uppföljningsomgångar och påminnelser om nämndens svar och åtgärder</legend>"
        in swedish
    )
    assert (
        "<legend>New follow-up rounds and reminders of the board&#x27;s replies and measures"
        "</legend>" in english
    )


def test_choices_and_language_are_saved(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("notifications:account"),
        {"language": "en", "board_reminder": "weekly"},
    )

    assert response.status_code == 302
    assert Profile.objects.get(user=staff).language == "en"
    assert Preference.frequency_for(staff, Kind.BOARD_REMINDER) == Frequency.WEEKLY


def test_an_unknown_choice_is_refused_and_nothing_saved(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("notifications:account"),
        {"language": "sv", "board_reminder": "hourly"},
    )

    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not Preference.objects.exists()


def test_the_page_lists_the_users_private_calendar_addresses(client, staff, settings):
    settings.SITE_URL = "https://uppfoljning.example"
    client.force_login(staff)
    token = Profile.for_user(staff).calendar_token

    html = client.get(reverse("notifications:account")).content.decode()

    board = staff.boards.get()
    assert f"https://uppfoljning.example/kalender/{token}/namnder/{board.pk}.ics" in html


def offered_kinds(client, user):
    client.force_login(user)
    html = client.get(reverse("notifications:account")).text
    return {kind for kind in Kind.values if f'name="{kind}"' in html}, html


def test_each_role_is_offered_only_the_mails_it_can_receive(client, staff):
    auditor = make_user("revisor", groups=[AUDITOR_GROUP], municipality=make_municipality())
    contact = make_user("kontakt", groups=[STAFF_GROUP], boards=[make_board(short_code="SN")])
    Board.objects.filter(short_code="SN").update(contact=contact)
    admin = make_user("admin", groups=[ADMIN_GROUP], is_staff=True)

    assert offered_kinds(client, staff)[0] == {"board_reminder"}
    assert offered_kinds(client, auditor)[0] == {"escalation", "auditor_digest"}
    assert offered_kinds(client, contact)[0] == {"board_reminder", "escalation"}
    kinds, html = offered_kinds(client, admin)
    assert kinds == set()
    assert "Din roll får inga påminnelser eller sammanfattningar via e-post." in html


def test_an_auditor_gets_calendars_of_their_own_municipality_only(client):
    malmo = make_municipality()
    lund = make_municipality(name="Lunds kommun", slug="lund", organisation_number="212000-1132")
    auditor = make_user("revisor", groups=[AUDITOR_GROUP], municipality=malmo)
    client.force_login(auditor)

    html = client.get(reverse("notifications:account")).text

    assert f"/kommuner/{malmo.slug}.ics" in html
    assert f"/kommuner/{lund.slug}.ics" not in html


def test_the_unsubscribe_link_asks_first_then_turns_that_kind_off(client, staff):
    path = reverse(
        "notifications:unsubscribe", args=[tokens.unsubscribe_token(staff.pk, "escalation")]
    )

    assert client.get(path).status_code == 200
    assert not Preference.objects.exists()
    assert client.post(path).status_code == 200

    assert Preference.frequency_for(staff, Kind.ESCALATION) == Frequency.OFF
    assert Preference.frequency_for(staff, Kind.BOARD_REMINDER) == Frequency.IMMEDIATE


def test_the_unsubscribe_link_speaks_the_mails_language_unless_the_browser_chose_one(client, staff):
    Profile.objects.create(user=staff, language="en")
    path = reverse(
        "notifications:unsubscribe", args=[tokens.unsubscribe_token(staff.pk, "escalation")]
    )

    page = client.get(path)
    assert "<h1>Stop e-mails</h1>" in page.text and page["Content-Language"] == "en"
    assert "Yes, stop sending" in page.text
    client.cookies["django_language"] = "sv"
    assert "<h1>Avsluta e-post</h1>" in client.get(path).text


def test_an_unsubscribe_link_used_before_says_the_mail_is_off_instead_of_asking_again(
    client, staff
):
    path = reverse(
        "notifications:unsubscribe", args=[tokens.unsubscribe_token(staff.pk, "escalation")]
    )
    client.post(path)

    page = client.get(path).text

    assert "E-posten är avslutad" in page
    assert "Ja, sluta skicka" not in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_unsubscribe_link_of_a_removed_user_says_the_account_is_gone(client, staff, method):
    """It was a bare "Sidan finns inte": the page now says that the account is gone and
    that nothing more is sent to it, with the broken link's status."""
    path = reverse(
        "notifications:unsubscribe", args=[tokens.unsubscribe_token(staff.pk, "escalation")]
    )
    staff.delete()

    page = getattr(client, method)(path)

    assert page.status_code == 404, "as a broken unsubscribe link"
    assert "<h1>Kontot finns inte längre</h1>" in page.text
    assert "Ingen mer e-post skickas till det" in page.text
    assert not Preference.objects.exists()


def test_a_forged_unsubscribe_link_is_refused(client, staff):
    forged = tokens.unsubscribe_token(staff.pk, "escalation")[:-3] + "abc"

    response = client.post(reverse("notifications:unsubscribe", args=[forged]))

    assert response.status_code == 404
    assert not Preference.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unsubscribe_link_broken_in_two_says_what_may_have_happened(client, staff, method):
    """A mail program that broke the link over two lines led to a bare "Sidan finns
    inte"; the page now says so, and where the mail can be turned off instead."""
    token = tokens.unsubscribe_token(staff.pk, "escalation")
    path = reverse("notifications:unsubscribe", args=[token[:-12]])

    page = getattr(client, method)(path)

    assert page.status_code == 404, "as a broken follow link"
    assert "<h1>Länken fungerar inte</h1>" in page.text
    assert "Länken för att avsluta e-posten är ofullständig" in page.text
    assert f'<a href="{reverse("notifications:account")}">Mitt konto</a>' in page.text
    assert not Preference.objects.exists()


def test_an_unsubscribe_link_cut_before_its_last_slash_leads_to_the_same_page(client, staff):
    token = tokens.unsubscribe_token(staff.pk, "escalation")
    cut = reverse("notifications:unsubscribe", args=[token[:-12]]).removesuffix("/")

    page = client.get(cut, follow=True)

    assert page.status_code == 404
    assert "Länken för att avsluta e-posten är ofullständig" in page.text


def test_renewing_the_calendar_addresses_says_first_that_the_old_ones_stop_working(client):
    """The button that breaks every subscription says so before it is pressed, and is
    not offered to a user who has no calendar of their own to renew."""
    auditor = make_user("revisor", groups=[AUDITOR_GROUP], municipality=make_municipality())
    client.force_login(auditor)
    renew = reverse("notifications:renew_calendar_token")

    html = client.get(reverse("notifications:account")).text

    assert renew in html
    assert 'aria-describedby="renew-calendar-help">Byt kalenderadresser</button>' in html
    help_text = re.search(r'<p id="renew-calendar-help">([^<]*)</p>', html).group(1)
    assert "De gamla adresserna slutar då att fungera" in help_text
    client.force_login(make_user("nobody"))
    assert renew not in client.get(reverse("notifications:account")).text


def test_the_page_says_the_mail_server_refused_the_address_until_it_is_changed(client, staff):
    """An address the mail server refused for good gets no mail (notifications.models.
    writes_to): the user is told why, and to have it put right."""
    staff.email = "anna@example.se"
    staff.save(update_fields=["email"])
    Profile.objects.create(
        user=staff,
        refused_email="Anna@example.se",
        refused_at=dt.datetime(2026, 3, 17, 7, 0, tzinfo=dt.UTC),
        refusal="550 5.1.1 No such user here",
    )
    client.force_login(staff)

    html = client.get(reverse("notifications:account")).content.decode()

    assert "E-postservern avvisade adressen anna@example.se den 2026-03-17" in html
    assert "550 5.1.1 No such user here" in html
    staff.email = "anna.andersson@example.se"
    staff.save(update_fields=["email"])
    html = client.get(reverse("notifications:account")).content.decode()
    assert "avvisade" not in html

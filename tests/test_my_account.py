"""Mitt konto: per kind off / at once / weekly, the mail language; unsubscribe without login."""

import re

import pytest
from django.urls import reverse

from notifications import tokens
from notifications.models import Frequency, Kind, Preference, Profile
from recommendations.roles import STAFF_GROUP
from tests.factories import make_board, make_user

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
    assert ("auditor_digest", "weekly") in checked
    assert ("language", "sv") in checked
    assert "<legend>" in html, "each group of choices is named for screen readers"


def test_choices_and_language_are_saved(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("notifications:account"),
        {
            "language": "en",
            "board_reminder": "weekly",
            "escalation": "off",
            "auditor_digest": "immediate",
        },
    )

    assert response.status_code == 302
    assert Profile.objects.get(user=staff).language == "en"
    assert Preference.frequency_for(staff, Kind.BOARD_REMINDER) == Frequency.WEEKLY
    assert Preference.frequency_for(staff, Kind.ESCALATION) == Frequency.OFF


def test_an_unknown_choice_is_refused_and_nothing_saved(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("notifications:account"),
        {
            "language": "sv",
            "board_reminder": "hourly",
            "escalation": "off",
            "auditor_digest": "off",
        },
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Preference.objects.exists()


def test_the_page_lists_the_users_private_calendar_addresses(client, staff, settings):
    settings.SITE_URL = "https://uppfoljning.example"
    client.force_login(staff)
    token = Profile.for_user(staff).calendar_token

    html = client.get(reverse("notifications:account")).content.decode()

    board = staff.boards.get()
    assert f"https://uppfoljning.example/kalender/{token}/namnder/{board.pk}.ics" in html


def test_the_unsubscribe_link_asks_first_then_turns_that_kind_off(client, staff):
    path = reverse(
        "notifications:unsubscribe", args=[tokens.unsubscribe_token(staff.pk, "escalation")]
    )

    assert client.get(path).status_code == 200
    assert not Preference.objects.exists()
    assert client.post(path).status_code == 200

    assert Preference.frequency_for(staff, Kind.ESCALATION) == Frequency.OFF
    assert Preference.frequency_for(staff, Kind.BOARD_REMINDER) == Frequency.IMMEDIATE


def test_a_forged_unsubscribe_link_is_refused(client, staff):
    forged = tokens.unsubscribe_token(staff.pk, "escalation")[:-3] + "abc"

    response = client.post(reverse("notifications:unsubscribe", args=[forged]))

    assert response.status_code == 404
    assert not Preference.objects.exists()

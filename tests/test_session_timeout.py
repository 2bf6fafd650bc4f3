"""Logged-in sessions end after a working day without activity (8 hours, sliding), and
activity keeps them alive without a session write on every request."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from auditfollowup.middleware import SESSION_ACTIVITY_KEY
from recommendations.roles import STAFF_GROUP
from tests.factories import make_user

pytestmark = pytest.mark.django_db

WORKING_DAY = 8 * 60 * 60
PAGE = reverse("password_change")  # any page that needs a login


@pytest.fixture
def staff_client(client):
    client.force_login(make_user(groups=[STAFF_GROUP]))
    return client


def stored_session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def set_last_activity(client, seconds_ago: int) -> None:
    session = client.session
    session[SESSION_ACTIVITY_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_a_session_lasts_a_working_day():
    assert settings.SESSION_COOKIE_AGE == WORKING_DAY


def test_activity_moves_the_expiry_a_working_day_ahead(staff_client):
    set_last_activity(staff_client, seconds_ago=60 * 60)
    Session.objects.filter(session_key=staff_client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(hours=1)
    )

    response = staff_client.get(PAGE)

    assert response.status_code == 200
    remaining = stored_session(staff_client).expire_date - timezone.now()
    assert dt.timedelta(hours=7, minutes=59) < remaining <= dt.timedelta(hours=8)
    assert response.cookies["sessionid"]["max-age"] == WORKING_DAY


def test_requests_close_together_do_not_rewrite_the_session(staff_client):
    before = stored_session(staff_client).expire_date
    response = staff_client.get(PAGE)

    assert "sessionid" not in response.cookies
    assert stored_session(staff_client).expire_date == before


def test_after_a_working_day_idle_the_user_must_log_in_again(staff_client):
    Session.objects.filter(session_key=staff_client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    response = staff_client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

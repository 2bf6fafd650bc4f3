"""Login throttling (django-axes): five failures lock that username from that address."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "ett-långt-lösenord-7"
ATTACKER = "203.0.113.9"
COLLEAGUE = "198.51.100.20"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Many logins per test: a fast hasher keeps them quick (what is tested is the counting)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("handlaggare", password=PASSWORD)


def attempt(client, password, *, username="handlaggare", url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def h1(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


def fail_five_times(client, **kwargs):
    for number in range(1, 5):
        response = attempt(client, f"fel-{number}", **kwargs)
        assert response.status_code == 200, f"attempt {number} was not an ordinary failure"
    assert attempt(client, "fel-5", **kwargs).status_code == 429


def test_four_failures_show_the_login_form_again(staff_user):
    client = Client(REMOTE_ADDR=ATTACKER)

    for number in range(1, 5):
        response = attempt(client, f"fel-{number}")
        assert response.status_code == 200
        assert 'name="password"' in response.content.decode()
        assert not is_logged_in(client)


def test_the_fifth_failure_locks_and_says_so(staff_user):
    client = Client(REMOTE_ADDR=ATTACKER)
    for number in range(1, 5):
        attempt(client, f"fel-{number}")

    response = attempt(client, "fel-5")

    assert response.status_code == 429
    assert "spärrad" in h1(response)


def test_the_sixth_attempt_is_refused_with_a_swedish_lockout_page(staff_user):
    client = Client(REMOTE_ADDR=ATTACKER)
    fail_five_times(client)

    response = attempt(client, "fel-6")

    assert response.status_code == 429
    assert '<html lang="sv">' in response.content.decode()
    assert "spärrad" in h1(response)
    assert 'name="password"' not in response.content.decode()


@pytest.mark.parametrize(
    ("cooloff", "language", "said"),
    [
        (1, "sv", "Försök igen om 1\xa0timme,"),
        (1, "en", "Try again in 1\xa0hour,"),
        (dt.timedelta(minutes=30), "sv", "Försök igen om 30\xa0minuter,"),
        (None, "sv", "användarnamnet. Kontakta en administratör"),
    ],
)
def test_the_lockout_page_says_how_long_the_lock_lasts_as_configured(
    staff_user, settings, cooloff, language, said
):
    """How long to wait is read from the lock itself (``AXES_COOLOFF_TIME``, which
    django-axes hands the page as ``cooloff_timedelta``), not written again: a lock
    without an end says only whom to ask."""
    settings.AXES_COOLOFF_TIME = cooloff
    client = Client(REMOTE_ADDR=ATTACKER)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    fail_five_times(client)

    response = attempt(client, "fel-6")

    assert said in response.content.decode()


def test_the_right_password_is_refused_while_locked(staff_user):
    client = Client(REMOTE_ADDR=ATTACKER)
    fail_five_times(client)

    response = attempt(client, PASSWORD)

    assert response.status_code == 429
    assert "spärrad" in h1(response)
    assert not is_logged_in(client)


def test_the_lock_holds_only_that_username_from_that_address(staff_user, django_user_model):
    django_user_model.objects.create_user("revisor", password=PASSWORD)
    fail_five_times(Client(REMOTE_ADDR=ATTACKER))

    colleague = Client(REMOTE_ADDR=COLLEAGUE)
    assert attempt(colleague, PASSWORD).status_code == 302
    assert is_logged_in(colleague)
    other_user = Client(REMOTE_ADDR=ATTACKER)
    assert attempt(other_user, PASSWORD, username="revisor").status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(staff_user):
    client = Client(REMOTE_ADDR=ATTACKER)
    for number in range(4):
        attempt(client, f"fel-{number}")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()

    fail_five_times(client)
    assert attempt(client, "fel-6").status_code == 429


def test_the_admin_login_is_throttled_too(staff_user):
    client = Client(REMOTE_ADDR=ATTACKER)
    admin_login = reverse("admin:login")
    fail_five_times(client, url=admin_login)

    response = attempt(client, PASSWORD, url=admin_login)

    assert response.status_code == 429
    assert "spärrad" in h1(response)

"""Login locks and login records (django-axes) in the admin: an Administratörer member sees
and lifts only those of the users they manage; superusers see all
(recommendations/admin_axes.py)."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse

from recommendations.roles import AUDITOR_GROUP

from .factories import make_user

MALMO_IP = "198.51.100.11"
LUND_IP = "203.0.113.22"
STRANGER_IP = "192.0.2.33"


def _attempt(username, ip_address):
    return AccessAttempt.objects.create(
        username=username,
        ip_address=ip_address,
        user_agent="Mozilla/5.0",
        http_accept="text/html",
        path_info="/konto/login/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )


@pytest.fixture
def locks(towns):
    make_user("malmorevisorn", groups=[AUDITOR_GROUP], municipality=towns[0][0])
    make_user("lundrevisorn", groups=[AUDITOR_GROUP], municipality=towns[1][0])
    make_user("huvudadmin", superuser=True)
    for username, ip_address in [
        ("malmorevisorn", MALMO_IP),
        ("lundrevisorn", LUND_IP),
        ("ingen-sadan-anvandare", STRANGER_IP),
    ]:
        AccessLog.objects.create(
            username=username,
            ip_address=ip_address,
            user_agent="Mozilla/5.0",
            http_accept="text/html",
            path_info="/konto/login/",
        )
    return {
        "malmo": _attempt("malmorevisorn", MALMO_IP),
        "lund": _attempt("lundrevisorn", LUND_IP),
        "superuser": _attempt("huvudadmin", "192.0.2.44"),
        "stranger": _attempt("ingen-sadan-anvandare", STRANGER_IP),
    }


@pytest.mark.parametrize(
    "url", ["admin:axes_accessattempt_changelist", "admin:axes_accesslog_changelist"]
)
def test_a_municipal_admin_sees_only_the_locks_and_logins_of_their_own_users(
    client, malmo_admin, locks, url
):
    page = client.get(reverse(url))

    assert page.status_code == 200
    assert "malmorevisorn" in page.text and MALMO_IP in page.text
    for hidden in ["lundrevisorn", LUND_IP, "huvudadmin", "ingen-sadan-anvandare", STRANGER_IP]:
        assert hidden not in page.text


def test_another_municipalitys_lock_can_neither_be_opened_nor_lifted(client, malmo_admin, locks):
    attempt = locks["lund"]

    opened = client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk]))
    lifted = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert LUND_IP not in opened.text
    assert lifted.status_code == 302 and lifted.url == reverse("admin:index")
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_a_bulk_delete_lifts_only_the_own_users_locks(client, malmo_admin, locks):
    everyone = [attempt.pk for attempt in locks.values()]

    client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": everyone, "post": "yes"},
    )

    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {
        "lundrevisorn",
        "huvudadmin",
        "ingen-sadan-anvandare",
    }


def test_a_municipal_admin_lifts_the_lock_of_an_own_user(client, malmo_admin, locks):
    attempt = locks["malmo"]

    lifted = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert lifted.status_code == 302
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_cleaning_up_every_municipalitys_expired_locks_is_not_offered_to_a_municipal_admin(
    client, malmo_admin, locks
):
    page = client.get(reverse("admin:axes_accessattempt_changelist"))

    assert "cleanup_expired_attempts" not in page.text


def test_a_superuser_sees_every_lock_and_login(client, locks):
    client.force_login(make_user("overadmin", superuser=True))

    attempts = client.get(reverse("admin:axes_accessattempt_changelist")).text
    logins = client.get(reverse("admin:axes_accesslog_changelist")).text

    for shown in ["malmorevisorn", "lundrevisorn", "ingen-sadan-anvandare", STRANGER_IP]:
        assert shown in attempts and shown in logins
    assert "cleanup_expired_attempts" in attempts


def test_the_login_records_are_named_in_the_admins_language(client, towns, malmo_admin, locks):
    swedish = client.get(reverse("admin:index")).text
    attempts = client.get(reverse("admin:axes_accessattempt_changelist")).text
    client.cookies["django_language"] = "en"
    english = client.get(reverse("admin:index")).text

    assert "Inloggningsspärrar" in swedish and "Inloggningsförsök" in swedish
    assert "Access attempts" not in swedish and "Axes" not in swedish
    assert "IP-adress" in attempts
    assert "Login lockouts" in english and "Access attempts" in english


def test_lifting_a_lock_names_whose_lock_it_is_in_swedish(client, malmo_admin, locks):
    attempt = locks["malmo"]

    listed = client.get(reverse("admin:axes_accessattempt_changelist")).text
    opened = client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk])).text
    confirm = client.get(reverse("admin:axes_accessattempt_delete", args=[attempt.pk])).text

    assert "Användarnamn" in listed and "Username" not in listed
    assert f"malmorevisorn från {MALMO_IP}" in confirm
    for page in (opened, confirm):
        assert "Attempted Access" not in page and "+00:00" not in page


def test_a_login_record_is_named_by_its_user_and_local_time(client, malmo_admin, locks):
    record = AccessLog.objects.get(username="malmorevisorn")

    opened = client.get(reverse("admin:axes_accesslog_change", args=[record.pk])).text

    assert "malmorevisorn" in opened
    assert "Access Log for" not in opened and "+00:00" not in opened

"""Roles are Django groups with permissions; demo users exist for each role in development;
the login pages are in Swedish."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from recommendations import roles
from recommendations.models import Board, Municipality


@pytest.mark.django_db
def test_the_three_role_groups_exist_and_only_admins_hold_model_permissions():
    # Board staff and auditors work in the product's pages, never in the admin
    # (tests/test_admin_access.py).
    staff = Group.objects.get(name=roles.STAFF_GROUP)
    auditors = Group.objects.get(name=roles.AUDITOR_GROUP)
    admins = Group.objects.get(name=roles.ADMIN_GROUP)
    assert not staff.permissions.exists()
    assert not auditors.permissions.exists()
    codenames = set(admins.permissions.values_list("codename", flat=True))
    assert {"add_audit", "delete_response", "add_user", "change_auditorassessment"} <= codenames


@pytest.mark.django_db
def test_demo_users_get_their_roles_and_boards(settings):
    malmo = Municipality.objects.create(name="Malmö stad", slug="malmo")
    asn = Board.objects.create(municipality=malmo, name="ASN", short_code="ASN")
    sn = Board.objects.create(municipality=malmo, name="SN", short_code="SN")
    call_command("ensure_demo_users", stdout=io.StringIO())
    users = get_user_model().objects.in_bulk(field_name="username")
    assert users["admin"].is_superuser and roles.is_admin(users["admin"])
    assert roles.staff_board_ids(users["asn-handlaggare"]) == {asn.pk}
    assert roles.staff_board_ids(users["sn-handlaggare"]) == {sn.pk}
    assert roles.is_auditor(users["revisor"]) and not roles.is_admin(users["revisor"])
    assert users["revisor"].check_password("uppfoljning-revisor")
    assert roles.municipality_id(users["revisor"]) == malmo.pk


@pytest.mark.django_db
def test_demo_users_include_a_second_municipality_with_its_own_auditor(settings):
    from responses.models import Response

    malmo = Municipality.objects.create(name="Malmö stad", slug="malmo")
    call_command("ensure_demo_users", stdout=io.StringIO())
    call_command("ensure_demo_users", stdout=io.StringIO())  # running it again changes nothing
    users = get_user_model().objects.in_bulk(field_name="username")
    town = Municipality.objects.get(slug="exempelby")
    auditor = users["exempelby-revisor"]
    assert auditor.check_password("uppfoljning-exempelby")
    assert roles.municipality_id(auditor) == town.pk
    submitted = Response.objects.get(board__municipality=town)
    assert submitted.state == Response.State.SUBMITTED
    assert Response.objects.visible_to(auditor).filter(pk=submitted.pk).exists()
    malmo_auditor = users["revisor"]
    assert roles.municipality_id(malmo_auditor) == malmo.pk
    assert not Response.objects.visible_to(malmo_auditor).filter(pk=submitted.pk).exists()


@pytest.mark.django_db
def test_demo_users_are_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("ensure_demo_users")
    assert not get_user_model().objects.exists()


def test_the_login_page_is_in_swedish_and_logs_in(db):
    user = get_user_model().objects.create_user("anna", password="rätt-Lösen-42")
    client = Client()
    page = client.get(reverse("login"))
    assert "Logga in" in page.text and "Användarnamn" in page.text
    wrong = client.post(reverse("login"), {"username": "anna", "password": "fel"})
    assert "Ange ett korrekt användarnamn och lösenord" in wrong.text
    right = client.post(reverse("login"), {"username": "anna", "password": "rätt-Lösen-42"})
    assert right.status_code == 302
    assert client.get(reverse("password_change")).status_code == 200
    assert user.pk == int(client.session["_auth_user_id"])


def test_after_login_each_role_lands_on_its_own_work(db, settings):
    """Board staff their boards' responses, auditors Att granska, everyone else the start
    page; a page asked for (``next``) wins."""
    settings.AXES_ENABLED = False
    malmo = Municipality.objects.create(name="Malmö stad", slug="malmo")
    Board.objects.create(municipality=malmo, name="ASN", short_code="ASN")
    Board.objects.create(municipality=malmo, name="SN", short_code="SN")
    call_command("ensure_demo_users", stdout=io.StringIO())

    def landing(username, password, **extra):
        data = {"username": username, "password": password, **extra}
        return Client().post(reverse("login"), data).url

    assert landing("asn-handlaggare", "uppfoljning-asn") == reverse("responses:response_start")
    assert landing("revisor", "uppfoljning-revisor") == reverse("auditors:attention")
    assert landing("admin", "uppfoljning-admin") == "/"
    assert landing("revisor", "uppfoljning-revisor", next="/matris/") == "/matris/"


def test_the_login_page_tells_a_logged_in_user_who_they_are(db):
    client = Client()
    client.force_login(get_user_model().objects.create_user("anna", first_name="Anna"))
    assert "Du är redan inloggad som Anna." in client.get(reverse("login")).text


def test_too_many_failed_logins_show_the_swedish_lockout_page(db, settings):
    get_user_model().objects.create_user("anna", password="rätt-Lösen-42")
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "anna", "password": "fel"})
    locked = client.post(reverse("login"), {"username": "anna", "password": "rätt-Lösen-42"})
    assert locked.status_code == 429
    assert "Inloggningen är tillfälligt spärrad" in locked.text


def test_password_change_page_is_in_swedish(db):
    user = get_user_model().objects.create_user("anna", password="rätt-Lösen-42")
    client = Client()
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert "Byt lösenord" in page.text and "Gammalt lösenord" in page.text
    done = client.post(
        reverse("password_change"),
        {
            "old_password": "rätt-Lösen-42",
            "new_password1": "Nytt-lösen-2026-x",
            "new_password2": "Nytt-lösen-2026-x",
        },
        follow=True,
    )
    assert "Lösenordet är bytt" in done.text

"""Password reset by e-mail (Django's views, the user's language), and how it meets the
login lock: a reset lifts it, the lock is per username AND real client address, and an
Administratörer member may lift it in the admin."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import Profile
from recommendations.roles import ADMIN_GROUP
from tests.factories import make_board, make_municipality, make_user

pytestmark = pytest.mark.django_db

OLD = "ett-gammalt-lösenord-7"
NEW = "ett-nytt-lösenord-för-2026"
ATTACKER = "203.0.113.9"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        "handlaggare", email="handlaggare@example.se", password=OLD
    )


def login(client, password, username="handlaggare"):
    return client.post(reverse("login"), {"username": username, "password": password})


def lock(client):
    for number in range(5):
        login(client, f"fel-{number}")
    assert login(client, OLD).status_code == 429


def reset_link(client, smtp_server, address="handlaggare@example.se"):
    response = client.post(reverse("password_reset"), {"email": address})
    assert response.status_code == 302
    mail = smtp_server.to(address)[-1]
    return mail, re.search(r"https?://[^/\s]+(/konto/reset/\S+)", smtp_server.text(mail)).group(1)


def test_a_reset_mail_arrives_with_a_one_time_link(client, staff_user, smtp_server):
    mail, path = reset_link(client, smtp_server)

    assert smtp_server.subject(mail) == "Nytt lösenord till Uppföljning"
    assert "handlaggare" in smtp_server.text(mail)
    assert path in smtp_server.html(mail)
    form = client.get(path, follow=True)
    assert "Välj ett nytt lösenord" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert login(Client(), NEW).status_code == 302
    assert client.get(path, follow=True).context["validlink"] is False


def test_the_reset_mail_is_in_the_users_language(client, staff_user, smtp_server):
    Profile.objects.create(user=staff_user, language="en")

    mail, _path = reset_link(client, smtp_server)

    assert smtp_server.subject(mail) == "A new password for Follow-up"


def test_the_reset_mail_says_it_is_automatic_so_no_out_of_office_reply_comes_back(
    client, staff_user, smtp_server
):
    mail, _link = reset_link(client, smtp_server)

    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["X-Auto-Response-Suppress"] == "All"
    assert smtp_server.subject(mail) == "Nytt lösenord till Uppföljning"
    assert "<a " in smtp_server.html(mail)


def test_the_page_answers_before_the_reset_mail_is_sent_and_the_mail_goes_after(
    wsgi_server, staff_user, smtp_server
):
    """Talking to the mail server inside the request made an address with an account
    answer measurably slower than one without: the answer is ready, and nothing has been
    sent, until the server has handed it over and closes it."""
    answer = wsgi_server.post_form(reverse("password_reset"), {"email": "handlaggare@example.se"})

    assert (answer.status_code, answer["Location"]) == (302, reverse("password_reset_done"))
    assert not smtp_server.messages

    wsgi_server.close(answer)

    [mail] = smtp_server.to("handlaggare@example.se")
    assert smtp_server.subject(mail) == "Nytt lösenord till Uppföljning"


def test_a_reset_mail_the_mail_server_cannot_take_now_is_logged_and_the_page_says_the_same(
    client, staff_user, smtp_server, caplog
):
    smtp_server.refuse["handlaggare@example.se"] = "450 4.2.1 Mailbox busy"

    response = client.post(reverse("password_reset"), {"email": "handlaggare@example.se"})

    assert (response.status_code, response.url) == (302, reverse("password_reset_done"))
    assert f"Could not send the password reset to user {staff_user.pk}" in caplog.text


def test_a_reset_mail_the_server_refuses_still_says_the_same(client, staff_user, smtp_server):
    """Nobody learns from the page whether an address has an account, even when the mail
    server refuses the mail."""
    smtp_server.refuse["handlaggare@example.se"] = "550 5.1.1 No such user here"

    response = client.post(reverse("password_reset"), {"email": "handlaggare@example.se"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")


def test_an_address_refused_for_good_is_kept_on_the_profile_as_the_outbox_keeps_it(
    client, staff_user, smtp_server
):
    """The user reads why under Mitt konto, the admins in the user admin, and no mail (a
    reminder, another reset) is written to the address again until it changes."""
    smtp_server.refuse["handlaggare@example.se"] = "550 5.1.1 No such user here"

    client.post(reverse("password_reset"), {"email": "handlaggare@example.se"})
    client.post(reverse("password_reset"), {"email": "handlaggare@example.se"})

    profile = Profile.objects.get(user=staff_user)
    assert profile.refused_email == "handlaggare@example.se"
    assert profile.refusal == "550 5.1.1 No such user here"
    assert profile.refuses(staff_user)
    client.force_login(staff_user)
    assert "E-postservern avvisade adressen" in client.get(reverse("notifications:account")).text


def test_a_reset_mail_refused_for_now_leaves_the_address_as_it_was(client, staff_user, smtp_server):
    smtp_server.refuse["handlaggare@example.se"] = "450 4.2.1 Mailbox busy"

    client.post(reverse("password_reset"), {"email": "handlaggare@example.se"})

    assert not Profile.objects.filter(user=staff_user).exclude(refused_email="").exists()


def test_no_reset_mail_goes_to_an_address_the_mail_server_refused_for_good(
    client, staff_user, smtp_server
):
    """The mail server said for good that the mailbox does not exist: the reset is not
    mailed there either, and the page says what it says to anyone (no way to learn
    whether the address has an account, or was refused)."""
    Profile.objects.create(
        user=staff_user,
        refused_email="Handlaggare@Example.se",
        refused_at=timezone.now(),
        refusal="550 5.1.1 No such user here",
    )
    unknown = Client().post(reverse("password_reset"), {"email": "okand@example.se"})

    response = client.post(reverse("password_reset"), {"email": "handlaggare@example.se"})

    assert (response.status_code, response.url) == (unknown.status_code, unknown.url)
    assert client.get(response.url).content == Client().get(unknown.url).content
    assert not smtp_server.messages


def test_a_reset_mail_goes_to_a_new_address_after_the_old_one_was_refused(
    client, staff_user, smtp_server
):
    Profile.objects.create(user=staff_user, refused_email="handlaggare@example.se")
    staff_user.email = "ny.handlaggare@example.se"
    staff_user.save()

    mail, _path = reset_link(client, smtp_server, address="ny.handlaggare@example.se")

    assert smtp_server.subject(mail) == "Nytt lösenord till Uppföljning"


def test_a_mailbox_gets_three_reset_mails_an_hour_however_often_it_is_asked(
    client, staff_user, smtp_server
):
    """The reset form is open to anyone: it must not be a way to flood a colleague's
    mailbox. The page says the same each time."""
    for address in ["handlaggare@example.se", "Handlaggare@Example.se"] * 3:
        response = client.post(reverse("password_reset"), {"email": address})
        assert response.url == reverse("password_reset_done")

    assert len(smtp_server.to("handlaggare@example.se")) == 3


def test_one_client_gets_twenty_reset_mails_an_hour_to_whatever_addresses(
    django_user_model, mailoutbox
):
    for number in range(21):
        django_user_model.objects.create_user(
            f"person{number}", email=f"person{number}@example.se", password=OLD
        )
    client = Client(REMOTE_ADDR=ATTACKER)

    for number in range(21):
        response = client.post(reverse("password_reset"), {"email": f"person{number}@example.se"})
        assert response.url == reverse("password_reset_done")

    assert len(mailoutbox) == 20
    Client().post(reverse("password_reset"), {"email": "person20@example.se"})
    assert mailoutbox[-1].to == ["person20@example.se"]


def test_an_unknown_address_gets_the_same_page_and_no_mail(client, staff_user, smtp_server):
    response = client.post(reverse("password_reset"), {"email": "okand@example.se"})

    assert response.status_code == 302
    assert not smtp_server.messages


def test_a_reset_lifts_the_login_lock(staff_user, smtp_server):
    locked = Client(REMOTE_ADDR=ATTACKER)
    lock(locked)
    assert "/konto/password_reset/" in login(locked, OLD).content.decode()

    _mail, path = reset_link(locked, smtp_server)
    form = locked.get(path, follow=True)
    locked.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})

    assert not AccessAttempt.objects.exists()
    assert login(locked, NEW).status_code == 302


def test_behind_a_trusted_proxy_the_lock_holds_only_the_real_client(staff_user, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"{ATTACKER}, {proxy}")
    lock(attacker)

    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"198.51.100.20, {proxy}")

    assert login(colleague, OLD).status_code == 302
    assert AccessAttempt.objects.get().ip_address == ATTACKER


def test_an_administrator_may_lift_a_lock_in_the_admin(staff_user, django_user_model):
    # A lock of a user they manage: here a handläggare of their municipality's board.
    lock(Client(REMOTE_ADDR=ATTACKER))
    malmo = make_municipality()
    make_board(municipality=malmo).staff.add(staff_user)
    admin = make_user("adm", groups=[ADMIN_GROUP], municipality=malmo, is_staff=True)
    client = Client()
    client.force_login(admin)
    attempt = AccessAttempt.objects.get()

    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()

"""The notifications admin keeps an Administratörer member to their own municipality: the
outbox is the superusers' only, and followers, e-mail languages and e-mail choices are
those of the municipality's objects and users (notifications/admin.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Follower, Kind, Language, Notification, Preference, Profile
from recommendations.roles import ADMIN_GROUP, AUDITOR_GROUP

from .factories import make_user

ATTACKER = "angripare@example.org"


@pytest.fixture
def people(towns):
    (malmo, _board, _audit, _round, malmo_recommendation, _response) = towns[0]
    (lund, lund_board, *_rest) = towns[1]
    return {
        "malmo_auditor": make_user("malmorevisorn", groups=[AUDITOR_GROUP], municipality=malmo),
        "lund_auditor": make_user("lundrevisorn", groups=[AUDITOR_GROUP], municipality=lund),
        "superuser": make_user("huvudadmin", superuser=True),
        "malmo_follower": Follower.objects.create(
            email="malmofoljaren@example.org",
            recommendation=malmo_recommendation,
            confirmed_at=timezone.now(),
        ),
        "lund_follower": Follower.objects.create(
            email="lundafoljaren@example.org", board=lund_board, confirmed_at=timezone.now()
        ),
    }


def _outbox_row(recipient, **fields):
    return {
        "recipient": recipient.pk,
        "email": ATTACKER,
        "kind": Kind.AUDITOR_DIGEST,
        "stage": "digest",
        "group": "digest",
        "key": "auditor_digest:kapad",
        "send_after": "2026-01-05",
        **fields,
    }


def test_a_municipal_admin_can_neither_read_nor_add_to_the_outbox(
    client, towns, malmo_admin, people
):
    assert client.get(reverse("admin:notifications_notification_changelist")).status_code == 403
    posted = client.post(
        reverse("admin:notifications_notification_add"), _outbox_row(people["lund_auditor"])
    )

    assert posted.status_code == 403
    assert not Notification.objects.filter(email=ATTACKER).exists()


def test_the_admin_index_does_not_offer_the_outbox_to_a_municipal_admin(client, towns, malmo_admin):
    index = client.get(reverse("admin:index")).text

    assert reverse("admin:notifications_notification_changelist") not in index
    assert reverse("admin:notifications_follower_changelist") in index


def test_a_superuser_still_reads_the_outbox(client, towns, people):
    Notification.objects.create(
        recipient=people["lund_auditor"],
        email="lundrevisorn@example.org",
        kind=Kind.AUDITOR_DIGEST,
        stage="digest",
        group="digest",
        key="auditor_digest:lund",
        send_after=dt.date(2026, 1, 5),
    )
    client.force_login(people["superuser"])

    page = client.get(reverse("admin:notifications_notification_changelist"))

    assert page.status_code == 200
    assert "auditor_digest:lund" in page.text


def test_the_follower_list_shows_only_followers_of_the_own_municipality(
    client, towns, malmo_admin, people
):
    page = client.get(reverse("admin:notifications_follower_changelist"))

    assert page.status_code == 200
    assert "malmofoljaren@example.org" in page.text
    assert "lundafoljaren@example.org" not in page.text


def test_another_municipalitys_follower_can_neither_be_opened_nor_removed(
    client, towns, malmo_admin, people
):
    follower = people["lund_follower"]

    opened = client.get(reverse("admin:notifications_follower_change", args=[follower.pk]))
    removed = client.post(
        reverse("admin:notifications_follower_delete", args=[follower.pk]), {"post": "yes"}
    )

    assert "lundafoljaren@example.org" not in opened.text
    assert opened.status_code == 302 and opened.url == reverse("admin:index")
    assert removed.status_code == 302 and removed.url == reverse("admin:index")
    assert Follower.objects.filter(pk=follower.pk).exists()


def test_a_municipal_admin_removes_an_own_follower_but_never_adds_or_redirects_one(
    client, towns, malmo_admin, people
):
    follower = people["malmo_follower"]
    change_url = reverse("admin:notifications_follower_change", args=[follower.pk])
    recommendation = follower.recommendation

    added = client.post(
        reverse("admin:notifications_follower_add"),
        {
            "email": ATTACKER,
            "language": Language.SWEDISH,
            "recommendation": recommendation.pk,
            "confirmed_at": "2026-01-05 10:00",
        },
    )
    redirected = client.post(
        change_url,
        {
            "email": ATTACKER,
            "language": Language.SWEDISH,
            "recommendation": recommendation.pk,
            "confirmed_at": "2026-01-05 10:00",
        },
    )

    assert added.status_code == 403
    assert redirected.status_code == 403
    assert not Follower.objects.filter(email=ATTACKER).exists()
    removed = client.post(
        reverse("admin:notifications_follower_delete", args=[follower.pk]), {"post": "yes"}
    )
    assert removed.status_code == 302
    assert not Follower.objects.filter(pk=follower.pk).exists()


def test_e_mail_settings_are_listed_only_for_the_users_the_admin_manages(
    client, towns, malmo_admin, people
):
    for user in (people["malmo_auditor"], people["lund_auditor"], people["superuser"]):
        Profile.for_user(user)
        Preference.objects.create(user=user, kind=Kind.BOARD_REMINDER, frequency="weekly")

    profiles = client.get(reverse("admin:notifications_profile_changelist")).text
    preferences = client.get(reverse("admin:notifications_preference_changelist")).text

    for page in (profiles, preferences):
        assert "malmorevisorn" in page
        assert "lundrevisorn" not in page
        assert "huvudadmin" not in page


@pytest.mark.parametrize("whose", ["lund_auditor", "superuser"])
def test_another_users_e_mail_language_cannot_be_changed(client, towns, malmo_admin, people, whose):
    profile = Profile.for_user(people[whose])
    url = reverse("admin:notifications_profile_change", args=[profile.pk])

    opened = client.get(url)
    changed = client.post(url, {"user": people[whose].pk, "language": Language.ENGLISH})

    assert opened.status_code == 302 and opened.url == reverse("admin:index")
    assert changed.status_code == 302 and changed.url == reverse("admin:index")
    profile.refresh_from_db()
    assert profile.language == Language.SWEDISH


def test_another_users_e_mail_choices_can_neither_be_changed_nor_added(
    client, towns, malmo_admin, people
):
    lund_auditor = people["lund_auditor"]
    choice = Preference.objects.create(
        user=lund_auditor, kind=Kind.AUDITOR_DIGEST, frequency="weekly"
    )

    changed = client.post(
        reverse("admin:notifications_preference_change", args=[choice.pk]),
        {"user": lund_auditor.pk, "kind": Kind.AUDITOR_DIGEST, "frequency": "off"},
    )
    added = client.post(
        reverse("admin:notifications_preference_add"),
        {"user": lund_auditor.pk, "kind": Kind.BOARD_REMINDER, "frequency": "off"},
    )

    assert changed.status_code == 302 and changed.url == reverse("admin:index")
    choice.refresh_from_db()
    assert choice.frequency == "weekly"
    assert added.status_code == 200  # the form comes back with an error
    assert not Preference.objects.filter(user=lund_auditor, kind=Kind.BOARD_REMINDER).exists()


def test_a_municipal_admin_changes_the_e_mail_choices_of_an_own_user(
    client, towns, malmo_admin, people
):
    malmo_auditor = people["malmo_auditor"]

    added = client.post(
        reverse("admin:notifications_preference_add"),
        {"user": malmo_auditor.pk, "kind": Kind.AUDITOR_DIGEST, "frequency": "off"},
    )

    assert added.status_code == 302
    assert Preference.objects.get(user=malmo_auditor).frequency == "off"


def test_an_admin_of_no_municipality_sees_no_followers_or_e_mail_settings(client, towns, people):
    homeless = make_user("hemlos-admin", groups=[ADMIN_GROUP], is_staff=True)
    homeless.membership.delete()
    Profile.for_user(people["lund_auditor"])
    client.force_login(homeless)

    followers = client.get(reverse("admin:notifications_follower_changelist")).text
    profiles = client.get(reverse("admin:notifications_profile_changelist")).text

    assert "@example.org" not in followers
    assert "lundrevisorn" not in profiles


def _mailed(**fields):
    return Notification.objects.create(
        email="mottagare@example.org",
        kind=Kind.NEW_ANSWER,
        stage="published",
        group="new_answer",
        key=f"mailed:{fields}",
        send_after=dt.date(2026, 1, 5),
        sent_at=timezone.now(),
        **fields,
    )


def test_a_municipal_admin_removes_an_own_follower_who_was_already_mailed(
    client, towns, malmo_admin, people
):
    follower = people["malmo_follower"]
    _mailed(follower=follower)

    removed = client.post(
        reverse("admin:notifications_follower_delete", args=[follower.pk]), {"post": "yes"}
    )

    assert removed.status_code == 302
    assert not Follower.objects.filter(pk=follower.pk).exists()
    assert not Notification.objects.exists()


def test_a_municipal_admin_deletes_an_own_user_who_was_sent_reminders(
    client, towns, malmo_admin, people
):
    auditor = people["malmo_auditor"]
    _mailed(recipient=auditor)

    removed = client.post(reverse("admin:auth_user_delete", args=[auditor.pk]), {"post": "yes"})

    assert removed.status_code == 302
    assert not type(auditor).objects.filter(pk=auditor.pk).exists()


def test_the_outbox_rows_of_a_municipal_admins_own_users_cannot_be_deleted_on_their_own(
    client, towns, malmo_admin, people
):
    row = _mailed(recipient=people["malmo_auditor"])

    removed = client.post(
        reverse("admin:notifications_notification_delete", args=[row.pk]), {"post": "yes"}
    )
    bulk = client.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )

    assert removed.status_code == 403 and bulk.status_code == 403
    assert Notification.objects.filter(pk=row.pk).exists()


def test_the_outbox_shows_a_superuser_which_mails_were_refused_for_good_and_why(client, people):
    Notification.objects.create(
        recipient=people["malmo_auditor"],
        email="borta@example.se",
        kind=Kind.AUDITOR_DIGEST,
        stage="weekly",
        group="attention",
        key="auditor_digest:borta",
        send_after=dt.date(2026, 1, 5),
        refused_at=timezone.now(),
        refusal="550 5.1.1 No such user here",
    )
    client.force_login(people["superuser"])

    page = client.get(reverse("admin:notifications_notification_changelist"))
    refused = client.get(
        reverse("admin:notifications_notification_changelist"), {"refused_at__isnull": "False"}
    )

    assert "550 5.1.1 No such user here" in page.text
    assert refused.status_code == 200
    assert "borta@example.se" in refused.text

"""The admin as new admins found it: staff by name, a user's boards on their page, and dates
of uncertain precision typed the way the staff form takes them ("hösten 2021")."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from auditfollowup.lib.dates import FuzzyDate, Precision
from notifications.models import Profile
from recommendations.models import FollowUpRound
from recommendations.roles import STAFF_GROUP
from responses.models import Measure

from .factories import admin_page_data, make_user


@pytest.fixture
def admin_client(client, world):
    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    return client


def test_a_boards_staff_are_listed_by_name(admin_client, world):
    page = admin_client.get(reverse("admin:recommendations_board_change", args=[world.board_a.pk]))
    assert f'<option value="{world.staff_a.pk}" selected>anna</option>' in page.text


def test_a_users_page_and_the_user_list_show_their_boards(admin_client, world):
    page = admin_client.get(reverse("admin:auth_user_change", args=[world.staff_a.pk]))
    assert "Nämnder där användaren är handläggare" in page.text
    assert f'<option value="{world.board_a.pk}" selected>{world.board_a}</option>' in page.text
    listing = admin_client.get(reverse("admin:auth_user_changelist"))
    assert world.board_a.short_code in listing.text


def test_the_user_list_asks_the_same_number_of_queries_however_many_users_have_boards(
    admin_client, world, django_assert_max_num_queries
):
    url = reverse("admin:auth_user_changelist")
    admin_client.get(url)
    with django_assert_max_num_queries(12) as few:
        admin_client.get(url)
    for number in range(5):
        world.board_b.staff.add(
            world.staff_a.__class__.objects.create_user(f"extra{number}", password=None)
        )
    with django_assert_max_num_queries(len(few)):
        admin_client.get(url)


def test_a_measures_due_date_shows_as_the_staff_form_writes_it(admin_client, world):
    world.open_measure.due = FuzzyDate.parse("hösten 2026")
    world.open_measure.save()
    page = admin_client.get(reverse("admin:responses_measure_change", args=[world.open_measure.pk]))
    assert 'value="hösten 2026"' in page.text
    assert 'name="due_precision"' not in page.text


def test_the_lists_show_dates_as_people_write_them_and_nothing_for_no_date(admin_client, world):
    world.round1.deadline = FuzzyDate.parse("september 2020")
    world.round1.save()
    world.round2.deadline = None
    world.round2.save()
    world.open_measure.due = FuzzyDate.parse("hösten 2026")
    world.open_measure.save()

    rounds = admin_client.get(reverse("admin:recommendations_followupround_changelist")).text
    measures = admin_client.get(reverse("admin:responses_measure_changelist")).text

    assert "september 2020" in rounds and "1 september 2020" not in rounds
    assert "Precision" not in rounds and "precision" not in rounds
    assert "hösten 2026" in measures
    sorted_by_deadline = admin_client.get(
        reverse("admin:recommendations_followupround_changelist"), {"o": "3"}
    )
    assert sorted_by_deadline.status_code == 200


def admin_form(world, model, obj, data):
    request = RequestFactory().post("/")
    request.user = world.admin
    model_admin = admin.site._registry[model]
    form_class = model_admin.get_form(request, obj, change=obj is not None)
    return form_class(data, instance=obj)


def test_the_admin_reads_hosten_2021_as_the_second_half_of_2021(world):
    measure = world.open_measure
    data = {
        "recommendation": measure.recommendation_id,
        "board": measure.board_id,
        "title": measure.title,
        "responsible": measure.responsible,
        "status": measure.status,
        "due": "hösten 2021",
        "completed": "",
        "announced_in": measure.announced_in_id,
    }
    form = admin_form(world, Measure, measure, data)
    assert form.is_valid(), form.errors
    form.save()
    measure.refresh_from_db()
    assert (measure.due_date.isoformat(), measure.due_precision) == ("2021-07-01", Precision.TERM)
    assert measure.completed is None


def test_the_admin_refuses_a_date_it_cannot_read_with_the_staff_forms_message(world):
    round_ = world.round2
    data = {
        "audit": round_.audit_id,
        "sequence": round_.sequence,
        "kind": round_.kind,
        "title": round_.title,
        "deadline": "till sommaren",
    }
    form = admin_form(world, FollowUpRound, round_, data)
    assert not form.is_valid()
    assert form.errors["deadline"] == [
        "Skriv ett datum som 2026-05-31, 31 maj 2026, maj 2026, våren 2026, hösten 2026 eller 2027."
    ]


def test_saving_a_board_warns_of_staff_who_cannot_write_without_the_staff_group(
    admin_client, world
):
    # Listed on the board but not in Handläggare: the staff list alone grants nothing.
    newcomer = make_user("nykomling")
    url = reverse("admin:recommendations_board_change", args=[world.board_a.pk])
    data = admin_page_data(admin_client.get(url))
    data["staff"] = [world.staff_a.pk, newcomer.pk]

    saved = admin_client.post(url, data, follow=True)

    warning = "nykomling</a> är inte med i gruppen Handläggare och kan inte skriva"
    assert warning in saved.text
    assert "Användaren anna" not in saved.text
    newcomer.groups.add(Group.objects.get(name=STAFF_GROUP))
    again = admin_client.post(url, data, follow=True)
    assert "inte med i gruppen Handläggare" not in again.text


def test_the_warning_links_the_user_to_their_page_where_the_group_is_ticked(admin_client, world):
    newcomer = make_user("nykomling")
    board = world.board_a
    board.name = "Kultur & <fritid>"
    board.save()
    url = reverse("admin:recommendations_board_change", args=[board.pk])
    data = {**admin_page_data(admin_client.get(url)), "staff": [newcomer.pk]}

    saved = admin_client.post(url, data, follow=True)

    page = reverse("admin:auth_user_change", args=[newcomer.pk])
    assert f'Användaren <a href="{page}">nykomling</a> är inte med i gruppen' in saved.text
    assert "för Kultur &amp; &lt;fritid&gt;:" in saved.text


def test_saving_a_user_on_a_boards_staff_without_the_staff_group_warns_too(admin_client, world):
    url = reverse("admin:auth_user_change", args=[world.staff_a.pk])
    data = admin_page_data(admin_client.get(url))
    data["groups"] = []

    saved = admin_client.post(url, data, follow=True)

    assert "anna</a> är inte med i gruppen Handläggare" in saved.text


def test_the_user_form_says_staff_status_opens_the_admin_only_with_the_admin_group(
    admin_client, world
):
    page = admin_client.get(reverse("admin:auth_user_change", args=[world.staff_a.pk])).text

    assert "tillsammans med gruppen Administratörer" in page
    assert "Avgör om användaren kan logga in på denna adminsida" not in page
    board = admin_client.get(
        reverse("admin:recommendations_board_change", args=[world.board_a.pk])
    ).text
    assert "som också är med i gruppen Handläggare" in board


def test_the_warning_names_no_user_the_admin_does_not_manage(client, towns, malmo_admin):
    # A case officer also on Lund's board is kept on Malmö's board, unnamed.
    malmo_board, lund_board = towns[0][1], towns[1][1]
    shared = make_user("delad", boards=[malmo_board, lund_board])
    url = reverse("admin:recommendations_board_change", args=[malmo_board.pk])
    data = {**admin_page_data(client.get(url)), "staff": []}  # "delad" is not offered

    saved = client.post(url, data, follow=True)

    assert "Ändrade nämnd" in saved.text and "delad" not in saved.text
    assert malmo_board.staff.filter(pk=shared.pk).exists()


def test_deleting_a_user_names_their_groups_not_django_join_rows(admin_client, world):
    page = admin_client.get(reverse("admin:auth_user_delete", args=[world.staff_a.pk])).text

    assert "User_groups object" not in page and "User-group" not in page
    assert "Grupp som användaren är med i: Handläggare" in page


def test_a_user_whose_address_the_mail_server_refused_is_shown_and_found(admin_client, world):
    """No mail goes to an address refused for good until it is changed: the user's page
    says so beside the address, and the list filters such users."""
    world.staff_a.email = "anna@example.se"
    world.staff_a.save(update_fields=["email"])
    Profile.objects.create(
        user=world.staff_a,
        refused_email="anna@example.se",
        refused_at=dt.datetime(2026, 3, 17, 7, 0, tzinfo=dt.UTC),
        refusal="550 5.1.1 No such user here",
    )

    page = admin_client.get(reverse("admin:auth_user_change", args=[world.staff_a.pk]))

    assert "E-postadress avvisad" in page.text
    assert "2026-03-17 (550 5.1.1 No such user here)" in page.text
    listing = admin_client.get(reverse("admin:auth_user_changelist"), {"avvisad": "ja"})
    assert list(listing.context["cl"].result_list) == [world.staff_a]
    listing = admin_client.get(reverse("admin:auth_user_changelist"), {"avvisad": "nej"})
    assert world.staff_a not in listing.context["cl"].result_list

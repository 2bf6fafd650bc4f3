"""The change history a municipality's admin reads in the admin: what a save records, in
Swedish and in the admin's words, and nothing recorded that the admin did not change."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.forms import DateTimeInput
from django.urls import reverse
from django.utils import timezone

from recommendations.roles import ADMIN_GROUP, STAFF_GROUP
from responses.models import Response

from .factories import (
    admin_page_data,
    make_audit,
    make_board,
    make_municipality,
    make_recommendation,
    make_response,
    make_round,
    make_user,
    publish_new_answer,
)

# Stored times with seconds and a fraction, as Django stores a login or a publication.
JOINED = timezone.make_aware(dt.datetime(2024, 3, 5, 10, 15, 37, 250000))
PUBLISHED = timezone.make_aware(dt.datetime(2025, 6, 2, 14, 30, 41, 500000))


@pytest.fixture
def malmo(db):
    malmo = make_municipality(name="Malmö stad", slug="malmo")
    return {
        "municipality": malmo,
        "board": make_board(short_code="ASN", name="Arbetsmarknadsnämnden", municipality=malmo),
        "other_board": make_board(short_code="SN", name="Servicenämnden", municipality=malmo),
    }


@pytest.fixture
def malmo_admin(malmo, client):
    admin = make_user(
        "malmo-admin", groups=[ADMIN_GROUP], municipality=malmo["municipality"], is_staff=True
    )
    client.force_login(admin)
    return admin


def save_unchanged(client, url):
    """Post the page as a browser does: a time as its input shows it, and the hidden
    initial value Django gives a field whose default is computed (a user's joining date)."""
    page = client.get(url)
    data = admin_page_data(page)
    for bound_field in page.context["adminform"].form:
        widget = bound_field.field.widget
        if isinstance(widget, DateTimeInput) and bound_field.value() is not None:
            data[bound_field.html_name] = widget.format_value(bound_field.value())
        if bound_field.field.show_hidden_initial:
            data[f"initial-{bound_field.html_name}"] = bound_field.value()
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:3000]


def test_saving_a_users_page_unchanged_keeps_their_times_and_records_no_change(
    client, malmo, malmo_admin
):
    staff = make_user("anna", groups=[STAFF_GROUP], boards=[malmo["board"]])
    staff.date_joined = staff.last_login = JOINED
    staff.save()

    save_unchanged(client, reverse("admin:auth_user_change", args=[staff.pk]))

    staff.refresh_from_db()
    assert staff.date_joined.replace(microsecond=0) == JOINED.replace(microsecond=0)
    assert staff.last_login.replace(microsecond=0) == JOINED.replace(microsecond=0)
    assert LogEntry.objects.get(object_id=staff.pk).get_change_message() == "Inga fält ändrade."


def test_saving_a_response_unchanged_keeps_the_time_it_was_published(client, malmo, malmo_admin):
    audit = make_audit(municipality=malmo["municipality"], boards=[malmo["board"]])
    make_recommendation(audit)
    response = make_response(board=malmo["board"], round=make_round(audit))
    Response.objects.filter(pk=response.pk).update(published_at=PUBLISHED)

    save_unchanged(client, reverse("admin:responses_response_change", args=[response.pk]))

    response.refresh_from_db()
    assert response.published_at.replace(microsecond=0) == PUBLISHED.replace(microsecond=0)


def test_a_users_history_names_the_board_they_were_placed_on(client, malmo, malmo_admin):
    staff = make_user("anna", groups=[STAFF_GROUP], boards=[malmo["board"]])
    url = reverse("admin:auth_user_change", args=[staff.pk])
    page = client.get(url)
    assert "Board_staff object" not in page.text
    assert '<label class="required" for="id_Board_staff-0-board">Nämnd:</label>' in page.text
    data = admin_page_data(page)
    data.update({"Board_staff-TOTAL_FORMS": "2", "Board_staff-1-board": malmo["other_board"].pk})

    assert client.post(url, data).status_code == 302

    history = client.get(reverse("admin:auth_user_history", args=[staff.pk]))
    assert "Lade till nämnd där användaren är handläggare “Servicenämnden”." in history.text
    assert "Board_staff" not in history.text and "board-user" not in history.text


def test_a_recommendations_history_page_is_in_swedish(client, malmo, malmo_admin):
    audit = make_audit(municipality=malmo["municipality"], boards=[malmo["board"]])
    recommendation = make_recommendation(audit)
    url = reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
    page = client.get(url)
    data = admin_page_data(page)
    data["label"] = "Rekommendation 7"
    assert client.post(url, data).status_code == 302

    history = client.get(
        reverse("admin:recommendations_recommendation_history", args=[recommendation.pk])
    )

    text = history.text
    for swedish in ["Version", "Händelse", "Ändrad av", "Orsak", "Ändringar", "Ändrad", "Skapad"]:
        assert f"{swedish}<" in text or f"{swedish}\n" in text, swedish
    for english in ["Choose a date", "Comment", "Changed by", "Change reason", ">None<"]:
        assert english not in text
    assert "None" not in text.split('id="change-history"')[1].split("</table>")[0]


def test_a_version_saved_by_no_user_says_so_in_its_changed_by_column(client, malmo, malmo_admin):
    """A version an import or a command saved has no user: its 'Ändrad av' read 'Inget'
    (Django's word for an empty value, of a thing), not a word for nobody."""
    audit = make_audit(municipality=malmo["municipality"], boards=[malmo["board"]])
    recommendation = make_recommendation(audit)  # saved outside a request: no user

    history = client.get(
        reverse("admin:recommendations_recommendation_history", args=[recommendation.pk])
    )

    table = history.text.split('id="change-history"')[1].split("</table>")[0]
    assert "Ingen användare" in table
    assert "Inget" not in table


def test_a_users_last_login_and_joining_day_are_shown_not_typed_over(client, malmo, malmo_admin):
    staff = make_user("anna", groups=[STAFF_GROUP], boards=[malmo["board"]])
    staff.date_joined = staff.last_login = JOINED
    staff.save()
    url = reverse("admin:auth_user_change", args=[staff.pk])
    page = client.get(url)
    data = admin_page_data(page)
    data.update(date_joined="2001-01-01 00:00:00", last_login="2001-01-01 00:00:00")

    client.post(url, data)

    assert 'name="date_joined"' not in page.content.decode()
    assert 'name="last_login"' not in page.content.decode()
    staff.refresh_from_db()
    assert staff.date_joined.replace(microsecond=0) == JOINED.replace(microsecond=0)


def test_a_version_history_links_only_the_authors_whose_page_the_admin_may_open(
    client, malmo, malmo_admin
):
    audit = make_audit(municipality=malmo["municipality"], boards=[malmo["board"]])
    recommendation = make_recommendation(audit)
    superuser = make_user("rot")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    for author, label in ((superuser, "Rekommendation 7"), (malmo_admin, "Rekommendation 8")):
        recommendation._history_user = author
        recommendation.label = label
        recommendation.save()

    history = client.get(
        reverse("admin:recommendations_recommendation_history", args=[recommendation.pk])
    ).text

    own_page = reverse("admin:auth_user_change", args=[malmo_admin.pk])
    superusers_page = reverse("admin:auth_user_change", args=[superuser.pk])
    assert f'href="{own_page}"' in history
    assert f'href="{superusers_page}"' not in history
    assert ">rot<" in history or "rot\n" in history  # still named


@pytest.mark.parametrize("page", ["recommendation", "response", "measure"])
def test_saving_an_admin_page_unchanged_adds_no_version_to_its_history(client, world, page):
    # The admin's history listed an "Ändrad" by whoever pressed Spara, with nothing changed.
    obj = {
        "recommendation": world.rec1,
        "response": world.published_a,
        "measure": world.open_measure,
    }[page]
    client.force_login(world.admin)
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    versions = obj.history.count()

    saved = client.post(url, admin_page_data(client.get(url)))

    assert saved.status_code == 302
    assert obj.history.count() == versions


def admin_page_data_of_form(page) -> dict:
    """The POST of a past version's page: its one form (it has no inlines)."""
    data = {}
    for field in page.context["adminform"].form:
        value = field.value()
        if value not in (None, False) and not hasattr(value, "field"):
            data[field.html_name] = value
    return data


def _past_version_page(response) -> str:
    first = response.history.earliest("history_id")
    return reverse("admin:responses_response_simple_history", args=[response.pk, first.history_id])


def test_a_past_version_is_shown_to_be_read_with_no_button_restoring_it(client, malmo, malmo_admin):
    audit = make_audit(municipality=malmo["municipality"], boards=[malmo["board"]])
    recommendation = make_recommendation(audit)
    published = publish_new_answer(recommendation, board=malmo["board"])

    page = client.get(_past_version_page(published))

    assert page.status_code == 200
    assert page.context["revert_disabled"] is True
    assert 'name="_save"' not in page.text and 'name="_change_history"' not in page.text


def test_a_past_versions_page_names_its_place_in_swedish_and_disables_its_fields(
    client, malmo, malmo_admin
):
    """Its breadcrumbs were django-simple-history's: the app by its label and the model
    as 'Historical …' ('Responses › Historical yttranden'); its fields looked editable
    where nothing typed is saved."""
    audit = make_audit(municipality=malmo["municipality"], boards=[malmo["board"]])
    published = publish_new_answer(make_recommendation(audit), board=malmo["board"])

    page = client.get(_past_version_page(published))

    breadcrumbs = page.text.split('<div class="breadcrumbs">')[1].split("</div>")[0]
    assert "Yttranden och åtgärder" in breadcrumbs and "Yttranden</a>" in breadcrumbs
    assert "Historical" not in page.text and "Responses" not in breadcrumbs
    assert "En tidigare version, att läsa: den kan inte återställas." in page.text
    assert '<fieldset class="past-version-fields" disabled>' in page.text


@pytest.mark.parametrize("who", ["municipal_admin", "superuser"])
def test_posting_a_past_version_restores_nothing_not_even_a_published_responses_draft(
    client, malmo, malmo_admin, who
):
    # django-simple-history's "Återställ" saved the stored draft over the published
    # response: the form compared the state with the draft's, so the rule that a published
    # response stays published (ResponseAdminForm) never saw it, and the values kept on
    # write (its version, its publication time) went back with it.
    if who == "superuser":
        client.force_login(make_user("rot", superuser=True))
    audit = make_audit(municipality=malmo["municipality"], boards=[malmo["board"]])
    recommendation = make_recommendation(audit)
    published = publish_new_answer(recommendation, board=malmo["board"])
    url = _past_version_page(published)
    data = admin_page_data_of_form(client.get(url))
    assert data["state"] == Response.State.DRAFT

    answer = client.post(url, data)

    assert answer.status_code == 405
    published.refresh_from_db()
    assert published.state == Response.State.PUBLISHED
    assert published.published_at is not None

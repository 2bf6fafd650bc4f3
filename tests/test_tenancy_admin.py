"""An Administratörer member manages their own municipality only, in every admin page,
the user admin and the fixture import; only superusers manage superusers and
permissions."""

import json
import re

import pytest
from django.contrib.admin import site as admin_site
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.models import (
    AuditorAssessment,
    Board,
    FollowUpRound,
    Membership,
    Municipality,
    SourceDocument,
)
from recommendations.roles import ADMIN_GROUP, AUDITOR_GROUP, STAFF_GROUP
from responses.models import Response

from .factories import (
    admin_page_data,
    make_audit,
    make_board,
    make_municipality,
    make_recommendation,
    make_response,
    make_round,
    make_source_document,
    make_user,
)

User = get_user_model()


@pytest.fixture
def towns(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    malmo = make_municipality(name="Malmö stad", slug="malmo")
    lund = make_municipality(name="Lunds kommun", slug="lund")
    malmo_board = make_board(short_code="ASN", name="Malmönämnden", municipality=malmo)
    lund_board = make_board(short_code="KFN", name="Lundanämnden", municipality=lund)
    malmo_audit = make_audit(municipality=malmo, boards=[malmo_board], title="Malmögranskning")
    lund_audit = make_audit(municipality=lund, boards=[lund_board], title="Lundagranskning")
    return {
        "malmo": malmo,
        "lund": lund,
        "malmo_board": malmo_board,
        "lund_board": lund_board,
        "malmo_audit": malmo_audit,
        "lund_audit": lund_audit,
        "malmo_response": make_response(board=malmo_board, round=make_round(malmo_audit)),
        "lund_response": make_response(board=lund_board, round=make_round(lund_audit)),
    }


def _admin(username, municipality):
    user = make_user(username, groups=[ADMIN_GROUP], municipality=municipality, is_staff=True)
    return user


@pytest.fixture
def malmo_admin(towns, client):
    admin = _admin("malmo-admin", towns["malmo"])
    client.force_login(admin)
    return admin


def test_the_admin_lists_only_the_own_municipalitys_boards_audits_and_responses(
    client, towns, malmo_admin
):
    boards = client.get(reverse("admin:recommendations_board_changelist"))
    assert "Malmönämnden" in boards.text and "Lundanämnden" not in boards.text
    audits = client.get(reverse("admin:recommendations_audit_changelist"))
    assert "Malmögranskning" in audits.text and "Lundagranskning" not in audits.text
    responses = client.get(reverse("admin:responses_response_changelist"))
    assert towns["malmo_response"].title in responses.text
    assert towns["lund_response"].title not in responses.text


@pytest.mark.parametrize(
    "view, key",
    [
        ("admin:recommendations_board_change", "lund_board"),
        ("admin:recommendations_audit_change", "lund_audit"),
        ("admin:responses_response_change", "lund_response"),
        ("admin:responses_response_history", "lund_response"),
        ("admin:recommendations_municipality_change", "lund"),
    ],
)
def test_another_municipalitys_objects_are_404_in_the_admin(client, towns, malmo_admin, view, key):
    page = client.get(reverse(view, args=[towns[key].pk]))
    assert page.status_code in (302, 404)
    if page.status_code == 302:
        # The admin answers a missing object by going back to the index with a message.
        assert page.url == reverse("admin:index")


def _view_on_site(client, obj):
    content_type = ContentType.objects.get_for_model(obj)
    return client.get(reverse("admin:view_on_site", args=[content_type.pk, obj.pk]))


def test_view_on_site_does_not_tell_another_municipalitys_unpublished_responses_from_free_ids(
    client, towns, malmo_admin
):
    lund_round = make_round(towns["lund_audit"], sequence=2)
    submitted = make_response(board=towns["lund_board"], round=lund_round, state="submitted")
    draft = make_response(
        board=towns["lund_board"], round=make_round(towns["lund_audit"], sequence=3), state="draft"
    )
    free_id = client.get(
        reverse(
            "admin:view_on_site",
            args=[ContentType.objects.get_for_model(Response).pk, draft.pk + 99],
        )
    )
    answers = [_view_on_site(client, hidden) for hidden in (submitted, draft)]

    assert [page.status_code for page in answers] == [404, 404] == [free_id.status_code] * 2
    assert all("lund" not in page.text for page in answers)


def test_view_on_site_opens_the_own_municipalitys_objects(client, towns, malmo_admin):
    page = _view_on_site(client, towns["malmo_response"])
    assert page.status_code == 302
    assert page.url.endswith(towns["malmo_response"].get_absolute_url())


def test_view_on_site_opens_every_municipalitys_objects_for_a_superuser(client, towns):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    page = _view_on_site(client, towns["lund_response"])
    assert page.status_code == 302
    assert "/lund/" in page.url


def test_view_on_site_answers_404_for_a_model_outside_the_admin(
    client, towns, malmo_admin, monkeypatch
):
    # Audits have a page of their own; with no admin to say which the admin may open,
    # the link opens none, not even their own municipality's.
    own_audit = towns["malmo_audit"]
    assert _view_on_site(client, own_audit).status_code == 302
    monkeypatch.delitem(admin_site._registry, type(own_audit))
    assert _view_on_site(client, own_audit).status_code == 404


def test_choice_fields_offer_only_the_own_municipalitys_objects(client, towns, malmo_admin):
    form = client.get(reverse("admin:recommendations_audit_add")).context["adminform"].form
    assert set(form.fields["municipality"].queryset) == {towns["malmo"]}
    assert towns["lund_board"] not in set(form.fields["audited_boards"].queryset)
    assert towns["malmo_board"] in set(form.fields["audited_boards"].queryset)


def test_a_board_cannot_be_moved_to_another_municipality(client, towns, malmo_admin):
    url = reverse("admin:recommendations_board_change", args=[towns["malmo_board"].pk])
    posted = client.post(
        url,
        {
            "municipality": towns["lund"].pk,
            "name": "Flyttad",
            "short_code": "ASN",
            "kind": Board.Kind.BOARD,
        },
    )
    assert posted.status_code == 200  # the form comes back with an error
    towns["malmo_board"].refresh_from_db()
    assert towns["malmo_board"].municipality == towns["malmo"]


def test_only_superusers_add_municipalities(client, towns, malmo_admin):
    assert client.get(reverse("admin:recommendations_municipality_add")).status_code == 403


def test_a_municipal_admin_renames_their_municipality_but_keeps_its_address(
    client, towns, malmo_admin
):
    # The slug is every public address of the municipality (/malmo/...), its calendars'
    # and the links in mails already sent: changed here, all of them broke.
    url = reverse("admin:recommendations_municipality_change", args=[towns["malmo"].pk])
    page = client.get(url)
    assert "slug" not in page.context["adminform"].form.fields

    saved = client.post(url, {"name": "Malmö kommun", "slug": "annat", "organisation_number": ""})

    assert saved.status_code == 302
    towns["malmo"].refresh_from_db()
    assert (towns["malmo"].name, towns["malmo"].slug) == ("Malmö kommun", "malmo")


def test_a_non_superuser_gets_no_superuser_or_permission_fields(client, towns, malmo_admin):
    page = client.get(reverse("admin:auth_user_change", args=[malmo_admin.pk]))
    fields = page.context["adminform"].form.fields
    assert "is_superuser" not in fields and "user_permissions" not in fields
    assert "groups" in fields


def test_a_non_superuser_cannot_make_themselves_superuser(client, towns, malmo_admin):
    client.post(
        reverse("admin:auth_user_change", args=[malmo_admin.pk]),
        {
            "username": "malmo-admin",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [malmo_admin.groups.get().pk],
            "date_joined_0": "2024-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    malmo_admin.refresh_from_db()
    assert not malmo_admin.is_superuser


def test_a_non_superuser_cannot_open_or_set_the_password_of_a_superuser(client, towns, malmo_admin):
    root = make_user("root", superuser=True, password="gammalt-lösenord-1")
    for view in ("admin:auth_user_change", "admin:auth_user_password_change"):
        page = client.get(reverse(view, args=[root.pk]))
        assert page.status_code in (302, 404)
    posted = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "nytt-lösenord-9876", "password2": "nytt-lösenord-9876"},
    )
    assert posted.status_code in (302, 404)
    root.refresh_from_db()
    assert root.check_password("gammalt-lösenord-1")


def test_the_user_admin_lists_only_the_own_municipalitys_users(client, towns, malmo_admin):
    make_user("lund-revisor", groups=[AUDITOR_GROUP], municipality=towns["lund"])
    make_user("malmo-revisor", groups=[AUDITOR_GROUP], municipality=towns["malmo"])
    make_user("malmo-staff", groups=[STAFF_GROUP], boards=[towns["malmo_board"]])
    make_user("root", superuser=True)
    page = client.get(reverse("admin:auth_user_changelist"))
    shown = {user.username for user in page.context["cl"].result_list}
    assert shown == {"malmo-admin", "malmo-revisor", "malmo-staff"}
    lund_user = User.objects.get(username="lund-revisor")
    assert client.get(reverse("admin:auth_user_change", args=[lund_user.pk])).status_code in (
        302,
        404,
    )


def test_a_user_created_by_a_municipal_admin_belongs_to_their_municipality(
    client, towns, malmo_admin
):
    client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "ny-revisor",
            "usable_password": "true",
            "password1": "ett-långt-lösenord-42",
            "password2": "ett-långt-lösenord-42",
        },
    )
    created = User.objects.get(username="ny-revisor")
    assert created.membership.municipality == towns["malmo"]
    assert not created.is_superuser


def test_a_user_a_municipal_admin_adds_shows_their_municipality_on_their_page(
    client, towns, malmo_admin
):
    """The user is made a member of the admin's municipality on save, which their page
    did not say: the admin who added an auditor could not see that they belong to Malmö."""
    client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "ny-revisor",
            "usable_password": "true",
            "password1": "ett-långt-lösenord-42",
            "password2": "ett-långt-lösenord-42",
        },
    )
    created = User.objects.get(username="ny-revisor")

    page = client.get(reverse("admin:auth_user_change", args=[created.pk]))

    row = page.text.split('class="form-row field-municipality_of_user"')[1].split("</label>")[1]
    assert row.split("</div>")[0].strip() == f'<div class="readonly">{towns["malmo"].name}'


def _municipality_row(page) -> tuple[str, str] | None:
    """The read-only Kommun row of a user admin page: (its label, its value), or None."""
    if 'class="form-row field-municipality_of_user"' not in page.text:
        return None
    row = page.text.split('class="form-row field-municipality_of_user"')[1]
    label = re.search(r"<label>(.*?)</label>", row).group(1)
    value = re.search(r'<div class="readonly">(.*?)</div>', row).group(1)
    return label, value


def test_a_municipal_admins_add_user_page_says_the_new_user_joins_their_municipality(
    client, towns, malmo_admin
):
    """The save makes the user a member of the admin's municipality: the add page says so,
    as the user's page will, before anything is saved."""
    page = client.get(reverse("admin:auth_user_add"))

    assert _municipality_row(page) == ("Kommun:", towns["malmo"].name)
    fields = re.findall(r'class="form-row field-(\w+)', page.text)
    assert fields[:2] == ["username", "municipality_of_user"]
    added = {
        "username": "ny-revisor",
        "usable_password": "true",
        "password1": "ett-långt-lösenord-42",
        "password2": "ett-långt-lösenord-42",
    }
    client.post(reverse("admin:auth_user_add"), added)
    created = User.objects.get(username="ny-revisor")
    user_page = client.get(reverse("admin:auth_user_change", args=[created.pk]))
    assert _municipality_row(user_page) == _municipality_row(page)


def test_the_add_user_page_sent_back_with_errors_still_names_the_municipality(
    client, towns, malmo_admin
):
    page = client.post(
        reverse("admin:auth_user_add"),
        {"username": "ny", "usable_password": "true", "password1": "a", "password2": "b"},
    )
    assert page.status_code == 200 and not User.objects.filter(username="ny").exists()
    assert _municipality_row(page) == ("Kommun:", towns["malmo"].name)


def test_the_add_user_page_names_the_municipality_in_english_too(client, towns, malmo_admin):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("admin:auth_user_add"))
    assert _municipality_row(page) == ("Municipality:", towns["malmo"].name)


def test_a_superusers_add_user_page_lets_them_choose_the_municipality_as_before(client, towns):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    page = client.get(reverse("admin:auth_user_add"))
    assert page.status_code == 200
    assert _municipality_row(page) is None
    assert 'name="membership-TOTAL_FORMS"' in page.text  # the Kommun inline, to choose


def test_a_municipal_admin_offers_only_their_boards_for_a_users_staff_list(
    client, towns, malmo_admin
):
    staff = make_user("malmo-staff", groups=[STAFF_GROUP], boards=[towns["malmo_board"]])
    url = reverse("admin:auth_user_change", args=[staff.pk])
    page = client.get(url)
    (inline,) = [
        inline
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Board.staff.through
    ]
    offered = set(inline.formset.empty_form.fields["board"].queryset)
    assert towns["malmo_board"] in offered
    assert {board.municipality for board in offered} == {towns["malmo"]}

    # Posted anyway, another municipality's board is refused and nothing is saved.
    data = admin_page_data(page)
    prefix = inline.formset.prefix
    data[f"{prefix}-TOTAL_FORMS"] = "2"
    data[f"{prefix}-1-board"] = towns["lund_board"].pk
    data[f"{prefix}-1-user"] = staff.pk
    refused = client.post(url, data)

    assert refused.status_code == 200
    assert "Välj ett giltigt alternativ" in refused.text
    assert not towns["lund_board"].staff.filter(pk=staff.pk).exists()


def test_a_member_on_another_municipalitys_staff_list_is_managed_only_by_a_superuser(
    client, towns, malmo_admin
):
    """Malmö's admin could otherwise set the password of someone who writes Lund's
    responses, and write them as that user."""
    staff = make_user("malmo-staff", groups=[STAFF_GROUP], boards=[towns["malmo_board"]])
    Membership.objects.create(user=staff, municipality=towns["malmo"])
    towns["lund_board"].staff.add(staff)

    for view in ("admin:auth_user_change", "admin:auth_user_password_change"):
        assert client.get(reverse(view, args=[staff.pk])).status_code in (302, 404)
    listed = client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list
    assert staff not in listed
    client.force_login(make_user("root", superuser=True))
    page = client.get(reverse("admin:auth_user_change", args=[staff.pk]))
    assert "Malmönämnden" in page.text and "Lundanämnden" in page.text


def test_a_user_on_two_municipalities_boards_is_managed_only_by_a_superuser(
    client, towns, malmo_admin
):
    both = make_user(
        "dubbel", groups=[STAFF_GROUP], boards=[towns["malmo_board"], towns["lund_board"]]
    )
    lund_admin = _admin("lund-admin", towns["lund"])
    for admin in (malmo_admin, lund_admin):
        client.force_login(admin)
        for view in ("admin:auth_user_change", "admin:auth_user_password_change"):
            assert client.get(reverse(view, args=[both.pk])).status_code in (302, 404)
        listed = client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list
        assert both not in listed
    client.force_login(make_user("root", superuser=True))
    assert client.get(reverse("admin:auth_user_change", args=[both.pk])).status_code == 200


def test_saving_a_board_keeps_the_staff_its_admin_may_not_manage(client, towns, malmo_admin):
    """The staff list offers only the municipal admin's own users: a case officer also on
    another municipality's board is not shown, and saving the board must not drop them."""
    anna = make_user("anna", groups=[STAFF_GROUP], boards=[towns["malmo_board"]])
    both = make_user(
        "dubbel", groups=[STAFF_GROUP], boards=[towns["malmo_board"], towns["lund_board"]]
    )
    url = reverse("admin:recommendations_board_change", args=[towns["malmo_board"].pk])
    page = client.get(url)
    offered = {user.pk for user in page.context["adminform"].form.fields["staff"].queryset}
    assert anna.pk in offered and both.pk not in offered
    data = admin_page_data(page)
    data["name"] = "Arbetsmarknadsnämnden"
    data["staff"] = [anna.pk]  # what the browser sends: the selected options it was shown

    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors

    towns["malmo_board"].refresh_from_db()
    assert towns["malmo_board"].name == "Arbetsmarknadsnämnden"
    assert set(towns["malmo_board"].staff.all()) == {anna, both}


def _upload(client, records, name="import.json"):
    content = json.dumps(records).encode()
    return client.post(reverse("fixture_import"), {"fixture": SimpleUploadedFile(name, content)})


def test_a_municipal_admin_cannot_import_another_municipalitys_objects(
    client, towns, malmo_admin, minimal_fixture_path
):
    page = client.post(
        reverse("fixture_import"),
        {"fixture": SimpleUploadedFile("minimal.json", minimal_fixture_path.read_bytes())},
    )
    assert page.status_code == 400
    assert "hör till en annan kommun än din" in page.text
    assert not Municipality.objects.filter(slug="testkommun").exists()


def test_a_municipal_admin_cannot_overwrite_another_municipalitys_object(
    client, towns, malmo_admin
):
    hijack = {
        "model": "recommendations.board",
        "pk": towns["lund_board"].pk,
        "fields": {"municipality": towns["malmo"].pk, "name": "Kapad", "short_code": "KAP"},
    }
    page = _upload(client, [hijack])
    assert page.status_code == 400
    assert "kan inte användas i din kommun" in page.text
    towns["lund_board"].refresh_from_db()
    assert towns["lund_board"].name == "Lundanämnden"


def test_a_municipal_admin_cannot_change_their_municipalitys_address_by_an_import(
    client, towns, malmo_admin
):
    # The same rule as on the municipality's admin page (tenancy.superuser_only_fields).
    own = {
        "model": "recommendations.municipality",
        "pk": towns["malmo"].pk,
        "fields": {"name": "Malmö kommun", "slug": "ny-adress", "organisation_number": ""},
    }
    page = _upload(client, [own])
    assert page.status_code == 400
    assert "fält ”slug”: bara en superanvändare får ändra det" in page.text
    own["fields"]["slug"] = "malmo"
    assert _upload(client, [own]).status_code == 200


def test_a_municipal_admin_imports_their_own_municipalitys_objects(client, towns, malmo_admin):
    board = {
        "model": "recommendations.board",
        "pk": 777,
        "fields": {"municipality": towns["malmo"].pk, "name": "Nya nämnden", "short_code": "NN"},
    }
    page = _upload(client, [board])
    assert page.status_code == 200
    client.post(
        reverse("fixture_import"),
        {"confirm": "1", "confirmation": page.context["confirmation"]},
    )
    assert Board.objects.get(pk=777).municipality == towns["malmo"]


def test_a_municipal_admin_cannot_import_another_municipalitys_user_onto_a_staff_list(
    client, towns, malmo_admin
):
    lund_staff = make_user("lund-staff", groups=[STAFF_GROUP], boards=[towns["lund_board"]])
    board = towns["malmo_board"]
    own_board_with_stranger = {
        "model": "recommendations.board",
        "pk": board.pk,
        "fields": {
            "municipality": towns["malmo"].pk,
            "name": board.name,
            "short_code": board.short_code,
            "staff": [lund_staff.pk],
        },
    }

    page = _upload(client, [own_board_with_stranger])

    assert page.status_code == 400
    assert (
        f"pekar på auth.user med pk={lund_staff.pk}, som varken finns i filerna eller i din kommun"
        in page.text
    )
    assert not board.staff.filter(pk=lund_staff.pk).exists()
    # So the Lund handläggare stays out of the Malmö admin's reach.
    password_page = reverse("admin:auth_user_password_change", args=[lund_staff.pk])
    assert client.get(password_page).status_code in (302, 404)


def test_a_municipal_admin_cannot_import_a_response_into_another_municipalitys_audit(
    client, towns, malmo_admin
):
    lund_round = towns["lund_response"].round
    response = {
        "model": "responses.response",
        "pk": 9001,
        "fields": {
            "board": towns["malmo_board"].pk,
            "round": lund_round.pk,
            "title": "Inskjutet yttrande",
            "state": "published",
            "provenance": "entered",
        },
    }

    page = _upload(client, [response])

    assert page.status_code == 400
    assert (
        f"pekar på recommendations.followupround med pk={lund_round.pk}, som varken finns i "
        "filerna eller i din kommun" in page.text
    )
    assert not Response.objects.filter(pk=9001).exists()


def _problems(page) -> list[str]:
    return [line.strip() for line in page.text.splitlines() if "pk=" in line and "objekt" in line]


def test_an_import_does_not_tell_a_municipal_admin_whether_an_id_exists_in_another_municipality(
    client, towns, malmo_admin
):
    """A reference to another municipality's object reads as one to an id nobody has: the
    same message, and no check that follows the reference (a model's clean() comparing the
    round's municipality with the board's) tells the two apart."""
    lund_round = towns["lund_response"].round
    free = FollowUpRound.objects.order_by("-pk").first().pk + 1000

    def response(pk, round_pk):
        return {
            "model": "responses.response",
            "pk": pk,
            "fields": {
                "board": towns["malmo_board"].pk,
                "round": round_pk,
                "title": "Inskjutet yttrande",
                "state": "draft",
                "provenance": "entered",
            },
        }

    taken = _upload(client, [response(9001, lund_round.pk)], name="a.json")
    nobodys = _upload(client, [response(9001, free)], name="a.json")

    assert taken.status_code == nobodys.status_code == 400
    assert _problems(taken) == [
        problem.replace(f"pk={free}", f"pk={lund_round.pk}") for problem in _problems(nobodys)
    ]
    assert (
        f"a.json, objekt 1 (responses.response pk=9001), fält ”round”: pekar på "
        f"recommendations.followupround med pk={lund_round.pk}, som varken finns i filerna "
        "eller i din kommun." in taken.text
    )
    assert "annan kommun" not in taken.text


def test_an_import_does_not_tell_a_municipal_admin_which_municipality_holds_an_id_in_the_file(
    client, towns, malmo_admin
):
    """An object of the file whose id another municipality's object has is refused (the id
    is taken), without saying whose it is."""
    hijack = {
        "model": "recommendations.board",
        "pk": towns["lund_board"].pk,
        "fields": {"municipality": towns["malmo"].pk, "name": "Kapad", "short_code": "KAP"},
    }
    page = _upload(client, [hijack])
    assert page.status_code == 400
    assert (
        f"(recommendations.board pk={towns['lund_board'].pk}): pk={towns['lund_board'].pk} kan "
        "inte användas i din kommun: välj ett annat." in page.text
    )
    assert "annan kommun" not in page.text


@pytest.mark.parametrize("stored_state", ["draft", "submitted", "published"])
@pytest.mark.parametrize("state_in_file", ["draft", "published"])
def test_an_import_does_not_tell_whether_another_municipalitys_response_is_published(
    client, towns, malmo_admin, stored_state, state_in_file
):
    """A response of the file whose id is Lund's is refused as any taken id is, whatever
    the state of Lund's response and of the file's: the import's rules of publishing (a
    published response stays so, a stored one is published on its page) ask the stored
    response of one's own municipality only. Told them of Lund's, they said whether
    Lund's draft was still unpublished."""
    taken = towns["lund_response"]
    Response.objects.filter(pk=taken.pk).update(state=stored_state)
    free = Response.objects.order_by("-pk").first().pk + 1000
    own_round = make_round(towns["malmo_audit"])

    def response(pk):
        fields = {
            "board": towns["malmo_board"].pk,
            "round": own_round.pk,
            "title": "Malmös yttrande",
            "state": state_in_file,
            "provenance": "entered",
        }
        return {"model": "responses.response", "pk": pk, "fields": fields}

    on_taken = _upload(client, [response(taken.pk)], name="a.json")
    on_free = _upload(client, [response(free)], name="a.json")

    assert on_taken.status_code == 400 and on_free.status_code == 200
    assert [str(problem) for problem in on_taken.context["problems"]] == [
        f"a.json, objekt 1 (responses.response pk={taken.pk}): pk={taken.pk} kan inte användas "
        "i din kommun: välj ett annat."
    ]
    taken.refresh_from_db()
    assert taken.state == stored_state


def test_an_import_does_not_compare_another_municipalitys_address_with_the_files(
    client, towns, malmo_admin
):
    """Another municipality's object in the file is refused for being another's, not for
    changing what only a superuser changes (asked of one's own municipality only)."""
    lund = {
        "model": "recommendations.municipality",
        "pk": towns["lund"].pk,
        "fields": {"name": "Lunds kommun", "slug": "en-annan-adress", "organisation_number": ""},
    }

    page = _upload(client, [lund])

    assert page.status_code == 400
    assert "hör till en annan kommun än din" in page.text
    assert "superanvändare" not in page.text


def test_an_import_does_not_name_the_id_of_another_municipalitys_object_holding_a_unique_value(
    client, towns, malmo_admin
):
    """A municipality's name is unique across municipalities: the clash is said (the file
    cannot be imported), not the id of the other municipality. (A source document's file
    name is unique within its municipality only: test_source_document_file_names.py.)"""
    own = {
        "model": "recommendations.municipality",
        "pk": towns["malmo"].pk,
        "fields": {"name": "Lunds kommun", "slug": "malmo", "organisation_number": ""},
    }

    page = _upload(client, [own])

    assert page.status_code == 400
    assert "fält ”name”: värdet för name används redan i databasen." in page.text
    assert not re.search(rf"pk={towns['lund'].pk}\b", page.text)


def test_a_superuser_is_told_precisely_that_a_referenced_id_exists_nowhere(client, towns):
    client.force_login(make_user("root", superuser=True))
    board = {
        "model": "recommendations.board",
        "pk": 777,
        "fields": {"municipality": 4242, "name": "Nya nämnden", "short_code": "NN"},
    }
    page = _upload(client, [board])
    assert page.status_code == 400
    assert "recommendations.municipality med pk=4242 finns varken i filerna eller i databasen." in (
        page.text
    )


def test_memberships_are_never_imported(client, towns):
    client.force_login(make_user("root", superuser=True))
    membership = {
        "model": "recommendations.membership",
        "pk": 1,
        "fields": {"user": 1, "municipality": towns["malmo"].pk},
    }
    page = _upload(client, [membership])
    assert page.status_code == 400
    assert not Membership.objects.filter(pk=1).exists()


def test_the_contact_of_another_municipalitys_board_is_managed_only_by_a_superuser(
    client, towns, malmo_admin
):
    """A board's contact person gets its escalation mails: Malmö's admin could otherwise
    set the password of the person Lund's late answers are reported to."""
    chief = make_user("forvaltningschef", groups=[STAFF_GROUP], boards=[towns["malmo_board"]])
    Membership.objects.create(user=chief, municipality=towns["malmo"])
    towns["lund_board"].contact = chief
    towns["lund_board"].save()

    for view in ("admin:auth_user_change", "admin:auth_user_password_change"):
        assert client.get(reverse(view, args=[chief.pk])).status_code in (302, 404)
    listed = client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list
    assert chief not in listed


def test_the_contact_of_the_own_municipalitys_board_is_managed_by_its_admin(
    client, towns, malmo_admin
):
    chief = make_user("forvaltningschef")
    towns["malmo_board"].contact = chief
    towns["malmo_board"].save()

    assert client.get(reverse("admin:auth_user_change", args=[chief.pk])).status_code == 200


def test_saving_a_board_keeps_a_contact_its_admin_may_not_manage(client, towns, malmo_admin):
    """A contact person for boards of two municipalities is no longer the Malmö admin's to
    manage, yet stays Malmö's board's contact when the admin saves the board."""
    chief = make_user("forvaltningschef")
    for board in (towns["malmo_board"], towns["lund_board"]):
        board.contact = chief
        board.save()
    url = reverse("admin:recommendations_board_change", args=[towns["malmo_board"].pk])
    data = admin_page_data(client.get(url))
    data["name"] = "Arbetsmarknadsnämnden"

    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors

    towns["malmo_board"].refresh_from_db()
    assert towns["malmo_board"].name == "Arbetsmarknadsnämnden"
    assert towns["malmo_board"].contact == chief
    # Another user the admin may not manage is still refused.
    other = make_user("lund-person")
    towns["lund_board"].staff.add(other)
    data["contact"] = other.pk
    refused = client.post(url, data)
    assert "Välj ett giltigt alternativ" in refused.text
    towns["malmo_board"].refresh_from_db()
    assert towns["malmo_board"].contact == chief


def test_a_municipal_admin_saves_a_recommendation_a_superuser_closed(client, towns, malmo_admin):
    """Superusers are nobody's to manage, so they are not offered in user fields: the
    user already recorded (who closed it, who assessed it) stays valid all the same."""
    root = make_user("root", superuser=True)
    recommendation = make_recommendation(towns["malmo_audit"])
    round_ = towns["malmo_audit"].rounds.get()
    AuditorAssessment.objects.create(
        recommendation=recommendation,
        round=round_,
        status="implemented",
        assessed_on="2026-01-10",
        assessed_by=root,
    )
    recommendation.closed_on = "2026-01-15"
    recommendation.closed_by = root
    recommendation.closed_reason = "Genomförd."
    recommendation.save()
    url = reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
    data = admin_page_data(client.get(url))
    data["text"] = "Säkerställ att insatserna följs upp och redovisas."

    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors

    recommendation.refresh_from_db()
    assert recommendation.text.endswith("redovisas.")
    assert recommendation.closed_by == root
    assert recommendation.assessments.get().assessed_by == root


@pytest.mark.parametrize("model_name", ["board", "audit"])
def test_a_new_board_or_audit_starts_in_the_admins_own_municipality(
    client, towns, malmo_admin, model_name
):
    page = client.get(reverse(f"admin:recommendations_{model_name}_add"))

    assert f'<option value="{towns["malmo"].pk}" selected>Malmö stad</option>' in page.text
    assert "Lunds kommun" not in page.text


@pytest.mark.parametrize("model_name", ["board", "audit"])
def test_a_municipal_admin_is_offered_no_empty_municipality_on_a_new_board_or_audit(
    client, towns, malmo_admin, model_name
):
    form = client.get(reverse(f"admin:recommendations_{model_name}_add")).context["adminform"]

    assert list(form.form.fields["municipality"].choices) == [(towns["malmo"].pk, "Malmö stad")]


def test_a_superuser_chooses_the_municipality_of_a_new_board(client, towns):
    client.force_login(make_user("root", superuser=True))

    page = client.get(reverse("admin:recommendations_board_add"))

    assert '<option value="" selected>---------</option>' in page.text


@pytest.mark.parametrize("model_name", ["board", "audit", "user"])
def test_a_municipal_admins_lists_have_no_municipality_column_or_filter(
    client, towns, malmo_admin, model_name
):
    app = "auth" if model_name == "user" else "recommendations"
    page = client.get(reverse(f"admin:{app}_{model_name}_changelist"))

    changelist = page.context["cl"]
    assert "municipality" not in changelist.list_display
    assert not [spec for spec in changelist.filter_specs if "municipality" in str(spec.field_path)]
    assert "Malmö stad" not in page.text


@pytest.mark.parametrize(
    "model_name, filter_path",
    [
        ("board", "municipality"),
        ("audit", "municipality"),
        ("user", "membership__municipality"),
    ],
)
def test_a_superusers_lists_show_and_filter_by_municipality(client, towns, model_name, filter_path):
    client.force_login(make_user("root", superuser=True))
    app = "auth" if model_name == "user" else "recommendations"

    changelist = client.get(reverse(f"admin:{app}_{model_name}_changelist")).context["cl"]

    assert filter_path in [spec.field_path for spec in changelist.filter_specs]
    if model_name == "board":
        assert "municipality" in changelist.list_display


@pytest.mark.parametrize("link", ["audit", "response", "reference"])
def test_a_source_document_of_another_municipality_too_is_managed_only_by_a_superuser(
    client, towns, malmo_admin, link
):
    """A document Lund's audit or response also names: Malmö's admin renaming, annotating or
    deleting it changed what Lund's pages and admin show (and a deletion dropped Lund's
    audit's link to it), as a user with a place in two municipalities is a superuser's."""
    shared = make_source_document(file_name="delat.pdf", title="Delat dokument")
    towns["malmo_audit"].source_documents.add(shared)
    if link == "audit":
        towns["lund_audit"].source_documents.add(shared)
    elif link == "response":
        Response.objects.filter(pk=towns["lund_response"].pk).update(source_document=shared)
    else:
        towns["lund_response"].referenced_in.add(shared)
    change = reverse("admin:recommendations_sourcedocument_change", args=[shared.pk])
    delete = reverse("admin:recommendations_sourcedocument_delete", args=[shared.pk])

    listed = client.get(reverse("admin:recommendations_sourcedocument_changelist"))
    deleted = client.post(delete, {"post": "yes"})

    assert "Delat dokument" not in listed.text
    assert client.get(change).status_code in (302, 404)
    assert deleted.status_code in (302, 404) and deleted.get("Location") != reverse(
        "admin:recommendations_sourcedocument_changelist"
    )
    assert towns["lund_audit"].source_documents.filter(pk=shared.pk).exists() == (link == "audit")
    shared.refresh_from_db()
    client.force_login(make_user("root", superuser=True))
    assert client.get(change).status_code == 200


def test_a_source_document_of_the_own_municipality_alone_is_managed_by_its_admin(
    client, towns, malmo_admin
):
    own = make_source_document(
        file_name="eget.pdf", title="Eget dokument", municipality=towns["malmo"]
    )
    towns["malmo_audit"].source_documents.add(own)

    listed = client.get(reverse("admin:recommendations_sourcedocument_changelist"))
    change = client.get(reverse("admin:recommendations_sourcedocument_change", args=[own.pk]))

    assert "Eget dokument" in listed.text
    assert change.status_code == 200


def test_saving_an_audit_or_response_keeps_a_source_document_shared_with_another_municipality(
    client, towns, malmo_admin
):
    """The document is not offered to Malmö's admin, and saving the pages naming it must not
    drop it."""
    shared = make_source_document(file_name="delat.pdf", title="Delat dokument")
    towns["malmo_audit"].source_documents.add(shared)
    towns["lund_audit"].source_documents.add(shared)
    response = towns["malmo_response"]
    Response.objects.filter(pk=response.pk).update(source_document=shared)
    response.referenced_in.add(shared)

    for page, many in (
        (
            reverse("admin:recommendations_audit_change", args=[towns["malmo_audit"].pk]),
            "source_documents",
        ),
        (reverse("admin:responses_response_change", args=[response.pk]), "referenced_in"),
    ):
        shown = client.get(page)
        offered = shown.context["adminform"].form.fields[many].queryset
        assert shared not in offered
        data = admin_page_data(shown)
        data[many] = []  # what the browser sends: the selected options it was shown
        saved = client.post(page, data)
        assert saved.status_code == 302, saved.context["adminform"].form.errors

    assert towns["malmo_audit"].source_documents.filter(pk=shared.pk).exists()
    response.refresh_from_db()
    assert response.source_document == shared  # its recorded choice, kept
    assert response.referenced_in.filter(pk=shared.pk).exists()


# A source document belongs to the municipality whose admin added it (``municipality``),
# before anything links to it: a document nothing named yet was every admin's to read,
# change and delete.


def _add_document(client, title, file_name, **fields):
    """The admin's add page of a source document, filled in and saved."""
    add = reverse("admin:recommendations_sourcedocument_add")
    data = admin_page_data(client.get(add))
    data.update(file_name=file_name, title=title, kind="response", **fields)
    return client.post(add, data)


@pytest.fixture
def malmo_draft_document(client, towns, malmo_admin):
    """A document Malmö's admin has just added and linked to nothing yet."""
    saved = _add_document(client, "Malmös utkast", "malmo-utkast.pdf")
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    client.get(saved.url)  # its message "… lades till", shown
    return SourceDocument.objects.get(file_name="malmo-utkast.pdf")


def test_a_source_document_added_by_a_municipalitys_admin_belongs_to_their_municipality(
    client, towns, malmo_draft_document
):
    form = client.get(reverse("admin:recommendations_sourcedocument_add")).context["adminform"]
    offered = form.form.fields["municipality"]

    assert malmo_draft_document.municipality == towns["malmo"]
    assert list(offered.queryset) == [towns["malmo"]] and offered.required


def test_a_municipalitys_admin_cannot_give_their_document_to_no_municipality_or_another(
    client, towns, malmo_admin
):
    for municipality in ("", towns["lund"].pk):
        refused = _add_document(client, "Bortgiven", "bortgiven.pdf", municipality=municipality)
        assert refused.status_code == 200
        assert "municipality" in refused.context["adminform"].form.errors
    assert not SourceDocument.objects.filter(file_name="bortgiven.pdf").exists()


def test_another_municipalitys_admin_neither_lists_opens_changes_nor_deletes_an_unlinked_document(
    client, towns, malmo_draft_document
):
    client.force_login(_admin("lund-admin", towns["lund"]))
    document = malmo_draft_document
    change = reverse("admin:recommendations_sourcedocument_change", args=[document.pk])
    delete = reverse("admin:recommendations_sourcedocument_delete", args=[document.pk])
    history = reverse("admin:recommendations_sourcedocument_history", args=[document.pk])

    listed = client.get(reverse("admin:recommendations_sourcedocument_changelist"))
    searched = client.get(
        reverse("admin:recommendations_sourcedocument_changelist"), {"q": "utkast"}
    )
    changed = client.post(change, {"file_name": "kapad.pdf", "title": "Kapad", "kind": "memo"})
    deleted = client.post(delete, {"post": "yes"})

    assert "Malmös utkast" not in listed.text and "malmo-utkast" not in searched.text
    for page in (client.get(change), client.get(history), changed, deleted):
        assert page.status_code in (302, 404)
        assert page.get("Location") in (None, reverse("admin:index"))
    document.refresh_from_db()
    assert document.title == "Malmös utkast"


def test_another_municipalitys_admin_is_not_offered_an_unlinked_document_to_link(
    client, towns, malmo_draft_document
):
    client.force_login(_admin("lund-admin", towns["lund"]))
    document = malmo_draft_document
    audit_page = reverse("admin:recommendations_audit_change", args=[towns["lund_audit"].pk])
    response_page = reverse("admin:responses_response_change", args=[towns["lund_response"].pk])

    audit_form = client.get(audit_page).context["adminform"].form
    response_form = client.get(response_page).context["adminform"].form
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "recommendations",
            "model_name": "audit",
            "field_name": "source_documents",
            "term": "utkast",
        },
    )
    data = admin_page_data(client.get(audit_page))
    data["source_documents"] = [document.pk]
    linked = client.post(audit_page, data)

    assert document not in audit_form.fields["source_documents"].queryset
    assert document not in response_form.fields["source_document"].queryset
    assert document not in response_form.fields["referenced_in"].queryset
    assert autocomplete.status_code == 200 and autocomplete.json()["results"] == []
    assert linked.status_code == 200  # refused: not a choice
    assert not towns["lund_audit"].source_documents.filter(pk=document.pk).exists()


def test_another_municipalitys_admin_cannot_import_over_or_link_an_unlinked_document(
    client, towns, malmo_draft_document
):
    client.force_login(_admin("lund-admin", towns["lund"]))
    document = malmo_draft_document
    overwrite = {
        "model": "recommendations.sourcedocument",
        "pk": document.pk,
        "fields": {"file_name": "kapad.pdf", "title": "Kapad", "kind": "memo"},
    }
    link = {
        "model": "recommendations.audit",
        "pk": towns["lund_audit"].pk,
        "fields": {
            "municipality": towns["lund"].pk,
            "title": "Lundagranskning",
            "auditor": towns["lund_board"].pk,
            "audited_boards": [towns["lund_board"].pk],
            "source_documents": [document.pk],
        },
    }

    for records in ([overwrite], [link]):
        page = _upload(client, records)
        assert page.status_code == 400
        assert "Malmös utkast" not in page.text and "annan kommun" not in page.text
    document.refresh_from_db()
    assert document.title == "Malmös utkast"
    assert not towns["lund_audit"].source_documents.filter(pk=document.pk).exists()


def test_the_admin_who_added_an_unlinked_document_manages_it_and_a_superuser_sees_every_one(
    client, towns, malmo_draft_document
):
    document = malmo_draft_document
    change = reverse("admin:recommendations_sourcedocument_change", args=[document.pk])
    audit_page = reverse("admin:recommendations_audit_change", args=[towns["malmo_audit"].pk])
    make_source_document(title="Lunds utkast", municipality=towns["lund"])
    make_source_document(title="Ingens dokument")

    listed = client.get(reverse("admin:recommendations_sourcedocument_changelist"))
    offered = client.get(audit_page).context["adminform"].form.fields["source_documents"]
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "recommendations", "model_name": "audit", "field_name": "source_documents"},
    )

    assert "Malmös utkast" in listed.text
    assert [result["id"] for result in found.json()["results"]] == [str(document.pk)]
    assert "Lunds utkast" not in listed.text and "Ingens dokument" not in listed.text
    assert client.get(change).status_code == 200
    assert list(offered.queryset) == [document]
    client.force_login(make_user("root", superuser=True))
    everything = client.get(reverse("admin:recommendations_sourcedocument_changelist"))
    assert all(
        title in everything.text for title in ("Malmös utkast", "Lunds utkast", "Ingens dokument")
    )
    assert client.get(change).status_code == 200


def test_a_superuser_chooses_a_documents_municipality_or_none(client, towns):
    client.force_login(make_user("root", superuser=True))

    for municipality, file_name in ((towns["lund"].pk, "lunds.pdf"), ("", "ingens.pdf")):
        saved = _add_document(client, "Dokument", file_name, municipality=municipality)
        assert saved.status_code == 302, saved.context["adminform"].form.errors

    assert SourceDocument.objects.get(file_name="lunds.pdf").municipality == towns["lund"]
    assert SourceDocument.objects.get(file_name="ingens.pdf").municipality is None


def test_a_municipalitys_audit_cannot_name_another_municipalitys_document(client, towns):
    client.force_login(make_user("root", superuser=True))
    malmos = make_source_document(title="Malmös", municipality=towns["malmo"])
    audit_page = reverse("admin:recommendations_audit_change", args=[towns["lund_audit"].pk])
    data = admin_page_data(client.get(audit_page))
    data["source_documents"] = [malmos.pk]

    refused = client.post(audit_page, data)

    assert refused.status_code == 200
    assert "hör till en annan kommun" in refused.text
    assert not towns["lund_audit"].source_documents.filter(pk=malmos.pk).exists()

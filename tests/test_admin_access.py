"""The Django admin is the admins' tool: staff status alone lets no board staff or
auditor in, so the admin can never be a second, broader way to read or change responses
than the product's own pages."""

import pytest
from django.urls import reverse

from recommendations.models import Membership
from recommendations.roles import AUDITOR_GROUP, STAFF_GROUP
from responses.models import Response
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NAV_LINK = f'href="{reverse("admin:index")}"'


def _with_staff_status(world, name):
    user = getattr(world, name)
    user.is_staff = True
    user.save()
    Membership.objects.get_or_create(user=user, defaults={"municipality": world.municipality})
    return user


@pytest.mark.parametrize("role", ["staff_a", "auditor"])
def test_board_staff_and_auditors_with_staff_status_cannot_open_the_admin(client, world, role):
    client.force_login(_with_staff_status(world, role))

    for url in [
        reverse("admin:index"),
        reverse("admin:responses_response_changelist"),
        reverse("admin:recommendations_recommendation_changelist"),
        reverse("fixture_import"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
    assert NAV_LINK not in client.get(reverse("recommendations:home"), follow=True).content.decode()


def test_board_staff_with_staff_status_cannot_read_or_publish_another_boards_draft_there(
    client, world
):
    draft = Response.objects.create(board=world.board_b, round=world.round2, title="B:s utkast")
    client.force_login(_with_staff_status(world, "staff_a"))
    change_url = reverse("admin:responses_response_change", args=[draft.pk])

    assert "B:s utkast" not in client.get(change_url).content.decode()
    client.post(change_url, {"title": "Ändrat", "state": "published"})

    draft.refresh_from_db()
    assert (draft.title, draft.state) == ("B:s utkast", Response.State.DRAFT)


def test_an_administrator_opens_the_admin_from_the_menu(client, world):
    client.force_login(world.admin)

    assert NAV_LINK in client.get(reverse("recommendations:home"), follow=True).content.decode()
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:responses_response_changelist")).status_code == 200


def test_staff_status_without_a_role_opens_nothing_either(client, world):
    client.force_login(make_user("bara-personal", is_staff=True))

    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 302


def test_board_staff_and_auditor_groups_hold_no_model_permissions():
    from django.contrib.auth.models import Group

    for name in [STAFF_GROUP, AUDITOR_GROUP]:
        assert not Group.objects.get(name=name).permissions.exists(), name

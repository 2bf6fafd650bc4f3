"""A municipality's admin manages its users in the admin without superuser or permission
fields; a superuser places users in a municipality. Both forms meet WCAG 2.1 AA, also at
320 px."""

import pytest
from django.urls import reverse

from tests.browser.helpers import assert_accessible, login

pytestmark = pytest.mark.browser


def test_a_municipal_admin_edits_a_user_without_superuser_or_permission_fields(
    page, seeds, make_user
):
    from recommendations.models import Board

    make_user("malmo-admin", groups=["Administratörer"], is_staff=True)
    staff = make_user(
        "asn-staff", groups=["Handläggare"], boards=[Board.objects.get(short_code="ASN")]
    )
    login(page, "malmo-admin", url=reverse("admin:login"))
    page.goto(reverse("admin:auth_user_change", args=[staff.pk]))
    assert page.get_by_label("Aktiv").is_visible()
    assert page.get_by_label("Superanvändare", exact=True).count() == 0
    assert page.locator("#id_user_permissions").count() == 0
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page)


def test_a_superuser_places_a_user_in_a_municipality(page, seeds, make_user):
    make_user("root", is_staff=True, is_superuser=True)
    auditor = make_user("revisor", groups=["Revisorer"])
    login(page, "root", url=reverse("admin:login"))
    page.goto(reverse("admin:auth_user_change", args=[auditor.pk]))
    assert page.get_by_label("Superanvändare", exact=True).is_visible()
    municipality = page.get_by_label("Kommun", exact=True)
    assert municipality.is_visible()
    assert_accessible(page)


def test_a_municipal_admins_add_user_page_names_the_municipality_the_user_joins(
    page, seeds, make_user
):
    make_user("malmo-admin", groups=["Administratörer"], is_staff=True)
    login(page, "malmo-admin", url=reverse("admin:login"))
    page.goto(reverse("admin:auth_user_add"))
    row = page.locator(".field-municipality_of_user")
    assert row.locator("label").inner_text() == "Kommun:"
    assert row.locator(".readonly").inner_text() == "Malmö stad"
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert row.locator(".readonly").is_visible()
    assert_accessible(page)

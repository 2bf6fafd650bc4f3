"""The admin's add and change forms meet WCAG 2.1 AA too: admins work in them every week."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.browser.helpers import axe_violations, login

pytestmark = pytest.mark.browser

PROJECT_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in {"recommendations", "responses"}
]


def admin_form_urls() -> list[str]:
    urls = []
    for model in PROJECT_MODELS:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{prefix}_add"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"{prefix}_change", args=[obj.pk]))
    return urls


def test_every_admin_add_and_change_form_meets_wcag_21_aa(page, seeds, make_user):
    make_user("admin", is_staff=True, is_superuser=True)
    login(page, "admin", url=reverse("admin:login"))

    problems = {}
    for url in admin_form_urls():
        page.goto(url)
        # The searchable selects are built by the admin's JavaScript after load.
        page.wait_for_load_state("load")
        if found := axe_violations(page):
            problems[url] = found

    assert problems == {}


def test_a_users_admin_page_with_their_boards_meets_wcag_21_aa(page, seeds, make_user):
    from recommendations.models import Board

    admin_user = make_user("admin", is_staff=True, is_superuser=True)
    staff = make_user("handlaggare", boards=[Board.objects.get(short_code="ASN")])
    login(page, "admin", url=reverse("admin:login"))

    problems = {}
    for url in (
        reverse("admin:auth_user_change", args=[staff.pk]),
        reverse("admin:auth_user_change", args=[admin_user.pk]),
        reverse("admin:auth_user_changelist"),
    ):
        page.goto(url)
        page.wait_for_load_state("load")
        if found := axe_violations(page):
            problems[url] = found

    assert problems == {}
    page.goto(reverse("admin:auth_user_change", args=[staff.pk]))
    assert page.get_by_text("Nämnder där användaren är handläggare").count() == 1

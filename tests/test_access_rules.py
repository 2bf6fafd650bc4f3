"""Every view of the product declares who may open it (``@access`` in recommendations/roles.py),
and the role rules themselves hold as the README states them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern

from recommendations import roles
from responses.models import Response

from .factories import make_user
from .url_walk import walk_urls

# Django's own views (the admin site, login/logout/password change, the language switch)
# enforce their own rules.
DJANGOS_OWN = ("django.",)


def product_views(patterns=None):
    for url in walk_urls(patterns):
        view = url.pattern.callback
        module = getattr(view, "view_class", view).__module__
        if not module.startswith(DJANGOS_OWN):
            yield url.route, view


def test_the_walk_finds_the_product_views():
    routes = dict(product_views())
    assert "" in routes and "admin/import/" in routes and "flode/yttranden/" in routes
    assert "konto/password_change/" not in routes


def test_every_view_of_the_product_declares_its_access_rule():
    undeclared = [
        route
        for route, view in product_views()
        if not isinstance(getattr(view, "access_rule", None), roles.Rule)
    ]
    assert undeclared == [], "declare who may open these views with @access(...)"


def test_a_view_without_a_rule_would_be_caught():
    def forgotten(request):
        raise AssertionError

    pattern = URLPattern("glomd/", forgotten)
    assert [view for _, view in product_views([pattern])] == [forgotten]
    assert not hasattr(forgotten, "access_rule")


@pytest.mark.django_db
def test_staff_on_a_board_list_but_outside_the_staff_group_may_not_write_for_it(world):
    listed_only = make_user("listad", boards=[world.board_a])
    assert not roles.is_board_staff(listed_only)
    assert roles.staff_board_ids(listed_only) == set()
    assert not roles.may_write_for_board(listed_only, world.board_a)
    draft = Response.objects.create(board=world.board_a, round=world.round2, title="Utkast")
    assert not draft.is_editable_by(listed_only)
    assert not Response.objects.visible_to(listed_only).filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_staff_in_the_group_and_on_the_list_may_write_for_that_board_only(world):
    assert roles.staff_board_ids(world.staff_a) == {world.board_a.pk}
    draft = Response.objects.create(board=world.board_a, round=world.round2, title="Utkast")
    assert draft.is_editable_by(world.staff_a) and draft.is_publishable_by(world.staff_a)
    assert not draft.is_editable_by(world.staff_b)
    assert draft.is_editable_by(world.admin)
    assert not draft.is_editable_by(world.auditor)
    assert not draft.is_editable_by(AnonymousUser())


@pytest.mark.django_db
def test_a_submitted_response_can_be_published_but_not_edited(world):
    submitted = Response.objects.create(
        board=world.board_a, round=world.round2, title="Inlämnat", state=Response.State.SUBMITTED
    )
    assert not submitted.is_editable_by(world.staff_a)
    assert submitted.is_publishable_by(world.staff_a)
    assert not world.published_a.is_editable_by(world.admin)
    assert not world.published_a.is_publishable_by(world.admin)


@pytest.mark.django_db
def test_a_user_listed_on_a_board_without_the_group_cannot_open_the_staff_pages(client, world):
    client.force_login(make_user("listad", boards=[world.board_a]))
    assert client.get("/yttranden/nytt/").status_code == 403

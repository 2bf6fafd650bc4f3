"""Every page answers only the methods it handles: 405 for PUT, PATCH, DELETE and TRACE
(and POST on read-only pages). The test walks the whole URLconf, so a new page that
forgets its method decorator fails here."""

import pytest
from django.urls import reverse

from .factories import build_world
from .url_walk import named_urls

UNHANDLED = ["put", "patch", "delete", "trace"]

# Pages that take a POST (forms); every other page is read-only.
POSTED = {
    "set_language",
    "login",
    "logout",
    "password_change",
    "fixture_import",
    "responses:response_start",
    "responses:response_edit",
    "responses:response_publish",
    "responses:response_submit",
    "responses:response_document_upload",
    "auditors:assess",
    "auditors:close",
    "auditors:request_follow_up",
    "auditors:change_follow_up",
    "password_reset",
    "password_reset_confirm",
    "notifications:account",
    "notifications:renew_calendar_token",
    "notifications:unsubscribe",
    "notifications:follow",
    "notifications:follow_confirm",
    "notifications:unfollow",
}


# Every named URL of the product (the admin's are Django's).
PRODUCT_URLS = named_urls()


def url_for(name, pattern, world) -> str:
    converters = pattern.pattern.converters
    kwargs = dict.fromkeys(converters, world.rec1.pk)
    if name.startswith("municipal:"):
        # The prefix of a municipality's pages (auditfollowup/urls.py).
        kwargs["municipality"] = world.rec1.audit.municipality.slug
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def admin_client_of_world(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    client.force_login(world.admin)  # who may reach every page: only the method may refuse
    return client, world


@pytest.mark.parametrize("method", UNHANDLED)
@pytest.mark.parametrize(("name", "pattern"), PRODUCT_URLS, ids=[n for n, _p in PRODUCT_URLS])
def test_every_page_refuses_methods_it_does_not_handle(
    admin_client_of_world, name, pattern, method
):
    client, world = admin_client_of_world
    response = getattr(client, method)(url_for(name, pattern, world))
    assert response.status_code == 405, f"{method.upper()} {name}"


READ_ONLY = [(n, p) for n, p in PRODUCT_URLS if n not in POSTED]


@pytest.mark.parametrize(("name", "pattern"), READ_ONLY, ids=[n for n, _p in READ_ONLY])
def test_read_only_pages_refuse_a_post(admin_client_of_world, name, pattern):
    client, world = admin_client_of_world
    response = client.post(url_for(name, pattern, world))
    assert response.status_code == 405, f"POST {name}"
    assert "GET" in response["Allow"]


def test_the_list_of_posted_pages_names_only_real_pages():
    assert {name for name, _pattern in PRODUCT_URLS} >= POSTED

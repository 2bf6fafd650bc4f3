"""The permission matrix: every URL × every role, with the expected status code, and CSRF
enforced on every POST.

Roles: the public (anonymous), staff of board A (which owns the draft), staff of board B,
an auditor, an admin. 302 means "sent to the login page".
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from responses.models import Response

from .staff_fixtures import PDF_BYTES, build_world

ROLES = ["public", "staff_a", "staff_b", "auditor", "admin"]


def expect(public, staff_a, staff_b, auditor, admin):
    return dict(zip(ROLES, [public, staff_a, staff_b, auditor, admin], strict=True))


# (name, URL builder, expected GET status per role)
GET_MATRIX = [
    ("home", lambda w: reverse("recommendations:home"), expect(200, 200, 200, 200, 200)),
    (
        "accessibility statement",
        lambda w: reverse("accessibility"),
        expect(200, 200, 200, 200, 200),
    ),
    ("login", lambda w: reverse("login"), expect(200, 200, 200, 200, 200)),
    (
        "language switch",
        lambda w: reverse("choose_language") + "?language=en&next=/",
        expect(302, 302, 302, 302, 302),
    ),
    ("password change", lambda w: reverse("password_change"), expect(302, 200, 200, 200, 200)),
    (
        "password change done",
        lambda w: reverse("password_change_done"),
        expect(302, 200, 200, 200, 200),
    ),
    (
        "recommendation list",
        lambda w: reverse("recommendations:recommendation_list"),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "recommendation list csv",
        lambda w: reverse("recommendations:recommendation_list_csv"),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "recommendation list xlsx",
        lambda w: reverse("recommendations:recommendation_list_xlsx"),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "recommendation",
        lambda w: reverse("recommendations:recommendation_detail", args=[w.rec1.pk]),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "audit",
        lambda w: reverse("recommendations:audit_detail", args=[w.audit.pk]),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "board",
        lambda w: reverse("recommendations:board_detail", args=[w.board_a.pk]),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "matrix",
        lambda w: reverse("recommendations:matrix"),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "matrix csv",
        lambda w: reverse("recommendations:matrix_csv"),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "matrix xlsx",
        lambda w: reverse("recommendations:matrix_xlsx"),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "api",
        lambda w: reverse("recommendations:api_recommendations"),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "feed",
        lambda w: reverse("recommendations:response_feed"),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "published response",
        lambda w: reverse("responses:response_detail", args=[w.published_a.pk]),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "draft response",
        lambda w: reverse("responses:response_detail", args=[w.draft.pk]),
        expect(404, 200, 404, 404, 200),
    ),
    ("start", lambda w: reverse("responses:response_start"), expect(302, 200, 200, 403, 200)),
    (
        "edit draft",
        lambda w: reverse("responses:response_edit", args=[w.draft.pk]),
        expect(302, 200, 404, 404, 200),
    ),
    (
        "edit published",
        lambda w: reverse("responses:response_edit", args=[w.published_a.pk]),
        expect(302, 403, 403, 403, 403),
    ),
    (
        "preview draft",
        lambda w: reverse("responses:response_preview", args=[w.draft.pk]),
        expect(302, 200, 404, 404, 200),
    ),
    (
        "preview published",
        lambda w: reverse("responses:response_preview", args=[w.published_a.pk]),
        expect(302, 200, 200, 200, 200),
    ),
    (
        "publish draft",
        lambda w: reverse("responses:response_publish", args=[w.draft.pk]),
        expect(302, 200, 404, 404, 200),
    ),
    (
        "publish published",
        lambda w: reverse("responses:response_publish", args=[w.published_a.pk]),
        expect(302, 403, 403, 403, 403),
    ),
    (
        "document of draft",
        lambda w: reverse("responses:response_document", args=[w.draft.pk]),
        expect(404, 200, 404, 404, 200),
    ),
    (
        "submit (POST only)",
        lambda w: reverse("responses:response_submit", args=[w.draft.pk]),
        expect(302, 405, 405, 405, 405),
    ),
    (
        "document upload (POST only)",
        lambda w: reverse("responses:response_document_upload", args=[w.draft.pk]),
        expect(302, 405, 405, 405, 405),
    ),
    (
        "history of draft",
        lambda w: reverse("responses:response_history", args=[w.draft.pk]),
        expect(302, 200, 404, 404, 200),
    ),
    (
        "history of published",
        lambda w: reverse("responses:response_history", args=[w.published_a.pk]),
        expect(302, 200, 200, 200, 200),
    ),
    ("attention", lambda w: reverse("auditors:attention"), expect(302, 403, 403, 200, 200)),
    (
        "assess",
        lambda w: reverse("auditors:assess", args=[w.rec1.pk]),
        expect(302, 403, 403, 200, 200),
    ),
    (
        "close",
        lambda w: reverse("auditors:close", args=[w.rec1.pk]),
        expect(302, 403, 403, 200, 200),
    ),
    (
        "recommendation history",
        lambda w: reverse("auditors:recommendation_history", args=[w.rec1.pk]),
        expect(302, 200, 200, 200, 200),
    ),
    ("admin", lambda w: reverse("admin:index"), expect(302, 302, 302, 302, 200)),
    ("fixture import", lambda w: reverse("fixture_import"), expect(302, 302, 302, 302, 200)),
]

# (name, URL builder, POST data builder, expected status per role with a valid CSRF token)
POST_MATRIX = [
    (
        "set language",
        lambda w: reverse("set_language"),
        lambda w: {"language": "en", "next": "/"},
        expect(302, 302, 302, 302, 302),
    ),
    (
        "start",
        lambda w: reverse("responses:response_start"),
        lambda w: {},
        expect(302, 200, 200, 403, 200),
    ),
    (
        "edit draft",
        lambda w: reverse("responses:response_edit", args=[w.draft.pk]),
        lambda w: {},
        expect(302, 400, 404, 404, 400),
    ),
    (
        "edit published",
        lambda w: reverse("responses:response_edit", args=[w.published_a.pk]),
        lambda w: {},
        expect(302, 403, 403, 403, 403),
    ),
    (
        "publish draft",
        lambda w: reverse("responses:response_publish", args=[w.draft.pk]),
        lambda w: {},
        expect(302, 400, 404, 404, 400),
    ),
    (
        "submit draft",
        lambda w: reverse("responses:response_submit", args=[w.draft.pk]),
        lambda w: {"version": 1},
        expect(302, 302, 404, 404, 302),
    ),
    (
        "submit published",
        lambda w: reverse("responses:response_submit", args=[w.published_a.pk]),
        lambda w: {"version": 1},
        expect(302, 403, 403, 403, 403),
    ),
    (
        "document upload",
        lambda w: reverse("responses:response_document_upload", args=[w.draft.pk]),
        lambda w: {"decision_document": SimpleUploadedFile("x.txt", b"text")},
        expect(302, 400, 404, 404, 400),
    ),
    (
        "assess",
        lambda w: reverse("auditors:assess", args=[w.rec1.pk]),
        lambda w: {},
        expect(302, 403, 403, 400, 400),
    ),
    (
        "close",
        lambda w: reverse("auditors:close", args=[w.rec1.pk]),
        lambda w: {},
        expect(302, 403, 403, 400, 400),
    ),
    (
        "fixture import",
        lambda w: reverse("fixture_import"),
        lambda w: {},
        expect(302, 302, 302, 302, 400),
    ),
]


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    world.draft = Response.objects.create(board=world.board_a, round=world.round2, title="Utkast")
    world.draft.decision_document.save("beslut.pdf", SimpleUploadedFile("beslut.pdf", PDF_BYTES))
    return world


def client_for(world, role) -> Client:
    client = Client(enforce_csrf_checks=True)
    if role != "public":
        client.force_login(getattr(world, role))
    return client


def csrf_token(client) -> str:
    client.get(reverse("login"))
    return client.cookies["csrftoken"].value


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), GET_MATRIX, ids=[c[0] for c in GET_MATRIX])
def test_get(world, role, name, url, expected):
    response = client_for(world, role).get(url(world))
    assert response.status_code == expected[role], f"GET {name} as {role}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "url", "data", "expected"), POST_MATRIX, ids=[c[0] for c in POST_MATRIX]
)
def test_post_with_csrf_token(world, role, name, url, data, expected):
    client = client_for(world, role)
    payload = {**data(world), "csrfmiddlewaretoken": csrf_token(client)}
    response = client.post(url(world), payload)
    assert response.status_code == expected[role], f"POST {name} as {role}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "url", "data", "expected"), POST_MATRIX, ids=[c[0] for c in POST_MATRIX]
)
def test_post_without_csrf_token_is_refused(world, role, name, url, data, expected):
    response = client_for(world, role).post(url(world), data(world))
    assert response.status_code == 403, f"POST {name} as {role} without a CSRF token"
    world.draft.refresh_from_db()
    assert (world.draft.version, world.draft.state) == (1, Response.State.DRAFT)


def test_logout_needs_a_post_with_a_csrf_token(world):
    client = client_for(world, "staff_a")
    assert client.post(reverse("logout")).status_code == 403
    token = csrf_token(client)
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get(reverse("responses:response_start")).status_code == 302


# URL names tested above (GET or POST); the admin's own model pages are Django's and are
# covered by the admin's staff check (see "admin").
COVERED = {
    "recommendations:home",
    "accessibility",
    "recommendations:recommendation_list",
    "recommendations:recommendation_list_csv",
    "recommendations:recommendation_list_xlsx",
    "recommendations:recommendation_detail",
    "recommendations:audit_detail",
    "recommendations:board_detail",
    "recommendations:matrix",
    "recommendations:matrix_csv",
    "recommendations:matrix_xlsx",
    "recommendations:api_recommendations",
    "recommendations:response_feed",
    "responses:response_detail",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "responses:response_start",
    "responses:response_edit",
    "responses:response_preview",
    "responses:response_publish",
    "responses:response_submit",
    "responses:response_document",
    "responses:response_document_upload",
    "responses:response_history",
    "auditors:attention",
    "auditors:assess",
    "auditors:close",
    "auditors:recommendation_history",
    "fixture_import",
    "set_language",
    "choose_language",
}


def url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_of_the_product_is_in_the_matrix():
    names = set(url_names(get_resolver().url_patterns))
    product = {name for name in names if not name.startswith("admin:")}
    assert product - COVERED == set(), "add these URLs to the permission matrix"

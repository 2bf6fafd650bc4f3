"""The permission matrix: every URL × every role, with the expected status code, and CSRF
enforced on every POST.

Roles: the public (anonymous), staff of board A (which owns the draft), staff of board B,
an auditor, an admin. 302 means "sent to the login page".
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications import tokens
from notifications.models import Profile
from recommendations.models import Municipality
from responses.models import Response

from .factories import PDF_BYTES
from .url_walk import named_urls

ROLES = ["public", "staff_a", "staff_b", "auditor", "admin"]


def expect(public, staff_a, staff_b, auditor, admin):
    return dict(zip(ROLES, [public, staff_a, staff_b, auditor, admin], strict=True))


# (name, URL builder, expected GET status per role)
GET_MATRIX = [
    # One municipality: "/" goes straight to its start page.
    ("home", lambda w: reverse("recommendations:home"), expect(302, 302, 302, 302, 302)),
    (
        "accessibility statement",
        lambda w: reverse("accessibility"),
        expect(200, 200, 200, 200, 200),
    ),
    ("login", lambda w: reverse("login"), expect(200, 200, 200, 200, 200)),
    ("favicon", lambda w: reverse("favicon"), expect(301, 301, 301, 301, 301)),
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
        lambda w: w.rec1.get_absolute_url(),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "audit",
        lambda w: w.audit.get_absolute_url(),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "board",
        lambda w: w.board_a.get_absolute_url(),
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
    ("council reports", lambda w: reverse("reports:index"), expect(200, 200, 200, 200, 200)),
    *[
        (
            f"council report {name}",
            lambda w, name=name: reverse(
                f"reports:{name}", args=[w.audit.municipality.slug, timezone.localdate().year]
            ),
            expect(200, 200, 200, 200, 200),
        )
        for name in ("council_report", "pdf", "xlsx", "csv")
    ],
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
    *(
        (name, lambda w, name=name, args=args: reverse(name, args=args(w)), expect(*[200] * 5))
        for name, args in [
            ("recommendations:openapi", lambda w: []),
            ("recommendations:api_documentation", lambda w: []),
            ("recommendations:open_data", lambda w: []),
            ("recommendations:recommendation_list_schema", lambda w: []),
            ("recommendations:measures_schema", lambda w: []),
            ("recommendations:timeline_schema", lambda w: []),
            ("recommendations:matrix_schema", lambda w: []),
            ("recommendations:dcat_catalog", lambda w: []),
            (
                "recommendations:dcat_municipality_catalog",
                lambda w: [Municipality.objects.first().slug],
            ),
        ]
    ),
    # A municipality's pages (/<slug>/...), public as their national counterparts.
    *(
        (
            name,
            lambda w, name=name: reverse(name, args=[w.audit.municipality.slug]),
            expect(*[200] * 5),
        )
        for name in [
            "municipal:home",
            "municipal:recommendation_list",
            "municipal:recommendation_list_csv",
            "municipal:recommendation_list_xlsx",
            "municipal:matrix",
            "municipal:matrix_csv",
            "municipal:matrix_xlsx",
            "municipal:api_recommendations",
            "municipal:response_feed",
        ]
    ),
    (
        "municipal:audit_detail",
        lambda w: w.audit.get_absolute_url(),
        expect(*[200] * 5),
    ),
    (
        "municipal:board_detail",
        lambda w: w.board_a.get_absolute_url(),
        expect(*[200] * 5),
    ),
    (
        "municipal:recommendation_detail",
        lambda w: w.rec1.get_absolute_url(),
        expect(*[200] * 5),
    ),
    # The old unprefixed addresses redirect there; a draft's stays hidden (404).
    *(
        (
            name,
            lambda w, name=name, kind=kind: reverse(name, args=[getattr(w, kind).pk]),
            expect(*[301] * 5),
        )
        for name, kind in [
            ("recommendations:moved_recommendation", "rec1"),
            ("recommendations:moved_audit", "audit"),
            ("recommendations:moved_board", "board_a"),
            ("recommendations:moved_response", "published_a"),
        ]
    ),
    (
        "old address of a draft",
        lambda w: reverse("recommendations:moved_response", args=[w.draft.pk]),
        expect(404, 301, 404, 404, 301),
    ),
    (
        "published response",
        lambda w: w.published_a.get_absolute_url(),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "draft response",
        lambda w: w.draft.get_absolute_url(),
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
        # The board's own: sent to the response, with why it cannot be changed.
        expect(302, 302, 403, 403, 302),
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
        # The board's own: sent to the response, with the state it is in.
        expect(302, 302, 403, 403, 302),
    ),
    (
        "document of draft",
        lambda w: reverse("responses:response_document", args=[w.draft.pk]),
        expect(404, 200, 404, 404, 200),
    ),
    (
        "submit, confirmed on its page",
        lambda w: reverse("responses:response_submit", args=[w.draft.pk]),
        expect(302, 200, 404, 404, 200),
    ),
    (
        "submit published",
        lambda w: reverse("responses:response_submit", args=[w.published_a.pk]),
        expect(302, 302, 403, 403, 302),
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
        "ask for a follow-up",
        lambda w: reverse("auditors:request_follow_up", args=[w.audit.pk]),
        expect(302, 403, 403, 200, 200),
    ),
    (
        "change a follow-up round",
        lambda w: reverse("auditors:change_follow_up", args=[w.audit.pk, w.round2.pk]),
        expect(302, 403, 403, 200, 200),
    ),
    (
        "recommendation history",
        lambda w: reverse("auditors:recommendation_history", args=[w.rec1.pk]),
        expect(302, 200, 200, 200, 200),
    ),
    ("admin", lambda w: reverse("admin:index"), expect(302, 302, 302, 302, 200)),
    ("fixture import", lambda w: reverse("fixture_import"), expect(302, 302, 302, 302, 200)),
    ("my account", lambda w: reverse("notifications:account"), expect(302, 200, 200, 200, 200)),
    (
        "renew calendar token (POST only)",
        lambda w: reverse("notifications:renew_calendar_token"),
        expect(302, 405, 405, 405, 405),
    ),
    # Signed links from mails: the signature is the credential, whoever opens them.
    (
        "unsubscribe",
        lambda w: reverse(
            "notifications:unsubscribe",
            args=[tokens.unsubscribe_token(w.staff_a.pk, "board_reminder")],
        ),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "follow form",
        lambda w: reverse("notifications:follow", args=["recommendation", w.rec1.pk]),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "follow confirmation",
        lambda w: reverse("notifications:follow_confirm", args=[_follow_token(w)]),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "unfollow",
        lambda w: reverse("notifications:unfollow", args=[tokens.unfollow_token("a@example.se")]),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "board calendar",
        lambda w: reverse("notifications:board_calendar", args=[w.board_a.pk]),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "municipality calendar",
        lambda w: reverse("notifications:municipality_calendar", args=["malmo"]),
        expect(200, 200, 200, 200, 200),
    ),
    # A private calendar's secret address is its only credential (calendar apps have no
    # session); a wrong secret is 404 (tests/test_calendars.py).
    (
        "private board calendar",
        lambda w: reverse(
            "notifications:private_board_calendar", args=[_calendar_token(w), w.board_a.pk]
        ),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "private municipality calendar",
        lambda w: reverse(
            "notifications:private_municipality_calendar", args=[_calendar_token(w), "malmo"]
        ),
        expect(200, 200, 200, 200, 200),
    ),
    ("password reset", lambda w: reverse("password_reset"), expect(200, 200, 200, 200, 200)),
    (
        "password reset done",
        lambda w: reverse("password_reset_done"),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "password reset confirm (bad link)",
        lambda w: reverse("password_reset_confirm", args=["MQ", "fel-nyckel"]),
        expect(200, 200, 200, 200, 200),
    ),
    (
        "password reset complete",
        lambda w: reverse("password_reset_complete"),
        expect(200, 200, 200, 200, 200),
    ),
]


def _follow_token(w):
    return tokens.follow_token(
        email="a@example.se", target="recommendation", target_id=w.rec1.pk, language="sv"
    )


def _calendar_token(w):
    return Profile.for_user(w.staff_a).calendar_token


# (name, URL builder, POST data builder, expected status per role with a valid CSRF token).
# Not here: the unsubscribe and unfollow links, which a mail client POSTs in one click
# without a CSRF token (RFC 8058); their signed token authorises them
# (tests/test_my_account.py, tests/test_follow_by_email.py).
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
        expect(302, 400, 400, 403, 400),
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
        expect(302, 302, 403, 403, 302),
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
        expect(302, 302, 403, 403, 302),
    ),
    (
        "publish published",
        lambda w: reverse("responses:response_publish", args=[w.published_a.pk]),
        lambda w: {"version": 1, "decision_date": "2026-03-18", "diary_number": "ASN-9"},
        expect(302, 302, 403, 403, 302),
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
    (
        "my account",
        lambda w: reverse("notifications:account"),
        lambda w: {},
        expect(302, 400, 400, 400, 400),  # an empty form is refused, with its errors
    ),
    (
        "renew calendar token",
        lambda w: reverse("notifications:renew_calendar_token"),
        lambda w: {},
        expect(302, 302, 302, 302, 302),
    ),
    (
        "follow",
        lambda w: reverse("notifications:follow", args=["recommendation", w.rec1.pk]),
        lambda w: {"email": "a@example.se"},
        expect(200, 200, 200, 200, 200),
    ),
    (
        "follow confirmation",
        lambda w: reverse("notifications:follow_confirm", args=[_follow_token(w)]),
        lambda w: {},
        expect(200, 200, 200, 200, 200),
    ),
    (
        "password reset",
        lambda w: reverse("password_reset"),
        lambda w: {"email": "a@example.se"},
        expect(302, 302, 302, 302, 302),
    ),
]


@pytest.fixture
def world(world, draft):
    world.draft = draft
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
    "favicon",
    "recommendations:recommendation_list",
    "recommendations:recommendation_list_csv",
    "recommendations:recommendation_list_xlsx",
    "recommendations:moved_recommendation",
    "recommendations:moved_audit",
    "recommendations:moved_board",
    "recommendations:moved_response",
    "municipal:home",
    "municipal:recommendation_list",
    "municipal:recommendation_list_csv",
    "municipal:recommendation_list_xlsx",
    "municipal:recommendation_detail",
    "municipal:audit_detail",
    "municipal:board_detail",
    "municipal:response_detail",
    "municipal:matrix",
    "municipal:matrix_csv",
    "municipal:matrix_xlsx",
    "municipal:api_recommendations",
    "municipal:response_feed",
    "recommendations:matrix",
    "recommendations:matrix_csv",
    "recommendations:matrix_xlsx",
    "recommendations:api_recommendations",
    "recommendations:response_feed",
    "recommendations:openapi",
    "recommendations:api_documentation",
    "recommendations:open_data",
    "recommendations:recommendation_list_schema",
    "recommendations:measures_schema",
    "recommendations:timeline_schema",
    "recommendations:matrix_schema",
    "recommendations:dcat_catalog",
    "recommendations:dcat_municipality_catalog",
    "reports:index",
    "reports:council_report",
    "reports:pdf",
    "reports:xlsx",
    "reports:csv",
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
    "auditors:request_follow_up",
    "auditors:change_follow_up",
    "auditors:recommendation_history",
    "fixture_import",
    "set_language",
    "notifications:account",
    "notifications:renew_calendar_token",
    "notifications:unsubscribe",
    "notifications:follow",
    "notifications:follow_confirm",
    "notifications:unfollow",
    "notifications:board_calendar",
    "notifications:municipality_calendar",
    "notifications:private_board_calendar",
    "notifications:private_municipality_calendar",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "choose_language",
}


def test_every_url_of_the_product_is_in_the_matrix():
    names = {name for name, _pattern in named_urls(skip=())}
    product = {name for name in names if not name.startswith("admin:")}
    assert product - COVERED == set(), "add these URLs to the permission matrix"

"""Security headers and cookies on real responses, with the production settings.

The production values are read from settings.py in a production-mode subprocess
(tests/production.py) and applied here, so these tests follow settings.py rather than
repeating it.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.production import production_security_settings

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    reverse("recommendations:home"),
    reverse("accessibility"),
    reverse("admin:login"),
    "/finns-inte/",  # the 404 page is a response too
]


@pytest.fixture(scope="module")
def production_values(tmp_path_factory):
    return production_security_settings(tmp_path_factory.mktemp("production"))


@pytest.fixture
def production(settings, production_values):
    """The production security settings in force for this test."""
    for name, value in production_values.items():
        setattr(settings, name, value)
    return production_values


HTTPS = {"X-Forwarded-Proto": "https"}


@pytest.fixture
def https_client(production):
    """A client reaching the app as production traffic does: HTTPS ended at the proxy."""
    return Client(headers=HTTPS)


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("chef", password="ett-långt-lösenord-7")


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_page_has_a_strict_content_security_policy(https_client, url):
    """No inline script anywhere; inline styles only on the admin (see the next tests)."""
    directives = csp_directives(https_client.get(url))

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    scripts = directives["script-src"] + directives["default-src"]
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in " ".join(v for values in directives.values() for v in values)


def test_admin_pages_allow_inline_styles_but_never_inline_scripts(https_client, admin_user):
    """The admin's bundled widgets set style attributes; nothing else is relaxed."""
    https_client.force_login(admin_user)

    for url in (reverse("admin:index"), reverse("admin:recommendations_audit_add")):
        response = https_client.get(url)
        assert response.status_code == 200
        directives = csp_directives(response)
        assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
        assert directives["script-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]


def test_only_the_admin_gets_the_inline_style_exception(https_client):
    for url in PUBLIC_PAGES:
        if not url.startswith(reverse("admin:index")):
            assert csp_directives(https_client.get(url))["style-src"] == ["'self'"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_page_denies_framing_sniffing_and_leaking_referrers(https_client, url):
    response = https_client.get(url)

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_https_response_has_hsts(https_client, url):
    response = https_client.get(url)

    assert response.status_code in (200, 404)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


def test_plain_http_is_redirected_to_https(production):
    response = Client().get(reverse("accessibility"))

    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver" + reverse("accessibility")


def test_the_csrf_cookie_is_secure_http_only_and_same_site(https_client):
    response = https_client.get(reverse("admin:login"))

    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_the_session_cookie_is_secure_http_only_and_same_site(production, admin_user):
    # Over HTTPS, Django's CSRF check also wants a same-origin Referer, as browsers send.
    referer = "https://testserver" + reverse("admin:login")
    client = Client(headers={"Referer": referer}, enforce_csrf_checks=True)
    client.get(reverse("admin:login"), secure=True)
    response = client.post(
        reverse("admin:login"),
        {
            "username": "chef",
            "password": "ett-långt-lösenord-7",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
        secure=True,
    )

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_the_language_cookie_is_secure_http_only_and_same_site(https_client):
    response = https_client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    cookie = response.cookies["django_language"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


LOGGED_IN_PAGES = [
    reverse("recommendations:home"),
    reverse("recommendations:recommendation_list_csv"),
    reverse("recommendations:matrix_xlsx"),
    reverse("recommendations:api_recommendations"),
    reverse("admin:index"),
]


@pytest.mark.parametrize("url", LOGGED_IN_PAGES)
def test_logged_in_pages_and_exports_are_kept_out_of_every_cache(https_client, admin_user, url):
    https_client.force_login(admin_user)
    response = https_client.get(url)

    assert response.status_code == 200
    directives = {d.strip() for d in response.headers["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_public_pages_stay_cacheable_for_anonymous_visitors(https_client):
    response = https_client.get(reverse("recommendations:home"), follow=True)

    assert "no-store" not in response.headers.get("Cache-Control", "")


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style elements and attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        if tag == "script" and "src" not in names and dict(attrs).get("type") != "application/json":
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style> element")
        if "style" in names:
            self.found.append(f"style attribute on <{tag}>")
        self.found.extend(f"{name} handler on <{tag}>" for name in names if name.startswith("on"))
        href = dict(attrs).get("href") or ""
        if href.strip().lower().startswith("javascript:"):
            self.found.append(f"javascript: link on <{tag}>")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.found


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_our_pages_need_no_inline_code(client, url):
    assert inline_code(client.get(url).content.decode()) == []


def test_the_inline_code_finder_finds_inline_code():
    html = '<script>x()</script><p style="x" onclick="y()"><a href="javascript:z()">a</a></p>'

    assert inline_code(html) == [
        "<script> without src",
        "style attribute on <p>",
        "onclick handler on <p>",
        "javascript: link on <a>",
    ]

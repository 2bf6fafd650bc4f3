"""Shared fixtures. Helpers for building objects live in tests/factories.py."""

import io
import re
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.utils import translation

from recommendations.models import Board, Municipality
from recommendations.roles import ADMIN_GROUP
from responses.models import Response

from .factories import build_world, make_town, make_user

DATA = Path(__file__).parent / "data"
SEED_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def pytest_sessionstart(session):
    """The browser tests' screenshot folder shows this run only: emptied here, once, by
    the process that runs the tests or, with pytest-xdist (``make test``), by the
    controller before its workers start; a worker that emptied it would delete the
    screenshots the others had already taken. Here, not in tests/browser/conftest.py:
    pytest calls this hook only in the conftest files it reads before collecting."""
    if hasattr(session.config, "workerinput"):
        return
    from .browser import SCREENSHOT_DIR

    for old in SCREENSHOT_DIR.glob("*.png"):
        old.unlink()


def pytest_terminal_summary(terminalreporter):
    """Where the browser tests' screenshots are (with pytest-xdist the controller says it:
    its workers took them)."""
    if hasattr(terminalreporter.config, "workerinput"):
        return
    from .browser import SCREENSHOT_DIR

    taken = list(SCREENSHOT_DIR.glob("*.png"))
    if taken:
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(
            f"{len(taken)} screenshots of each test's last page in {SCREENSHOT_DIR}"
        )


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Tests change data inside a transaction that never commits, so the page cache
    would never be invalidated: it is off except where tests/test_page_cache.py turns it
    on."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def empty_cache_afterwards():
    """What one test counts in the cache (the follow form's confirmations per address) is
    not carried into the next: each starts with the cache empty, as a new server would.
    Only the in-process cache the tests use by default: a Redis one (REDIS_URL set) may be
    a developer's own, which clearing would empty."""
    yield
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def default_language_afterwards():
    """A request in English leaves English active in the thread after it is answered (the
    test client does not reset it), and a later test that reads Swedish labels outside a
    request then fails by the order the tests ran in: each test ends in the default."""
    yield
    translation.deactivate()


@pytest.fixture
def minimal_fixture_path() -> Path:
    """A small, valid fixture file: one audit, two rounds, one recommendation, one response."""
    return DATA / "minimal.json"


@pytest.fixture
def minimal_data(db, minimal_fixture_path):
    call_command("import_fixtures", str(minimal_fixture_path), verbosity=0)


@pytest.fixture(scope="module")
def seeds_once(django_db_setup, django_db_blocker):
    """Import every seed file once per test module, and roll it all back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_fixtures", str(SEED_FIXTURES), verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeds_once, db):
    """The seed documents, imported once for the module; each test runs in its own savepoint."""


def pytest_configure():
    # Django's default hasher is slow on purpose; tests create many users and log them in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db, settings, tmp_path):
    """The staff and auditor tests' world (``factories.build_world``); uploads go to a
    temporary media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


@pytest.fixture
def draft(world):
    """A draft of board A in the open second round, with no entries yet."""
    return Response.objects.create(board=world.board_a, round=world.round2, title="Utkast")


class ReceivedMail:
    """What a real SMTP server on the loopback interface received (see ``smtp_server``)."""

    def __init__(self):
        self.messages = []
        # {address: answer}: the server refuses these recipients, e.g. "550 5.1.1 No such
        # user" for good or "450 4.2.1 Mailbox busy" for now.
        self.refuse = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str):
        return [message for recipients, message in self.messages if address in recipients]

    @staticmethod
    def subject(message) -> str:
        return str(message["Subject"]).strip()

    @staticmethod
    def text(message) -> str:
        """The plain-text part of a received mail."""
        return message.get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def html(message) -> str:
        return message.get_body(preferencelist=("html",)).get_content()

    @property
    def recipients(self) -> list[str]:
        return sorted(address for recipients, _message in self.messages for address in recipients)


@pytest.fixture(scope="session")
def _smtp_controller():
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = ReceivedMail()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def smtp_server(_smtp_controller, settings) -> ReceivedMail:
    """Django sends through SMTP to a real server (aiosmtpd) started by the suite on
    127.0.0.1; the fixture returns what it received during the test."""
    handler = _smtp_controller.handler
    handler.messages.clear()
    handler.refuse.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _smtp_controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://uppfoljning.example"
    return handler


class WsgiServer:
    """Django's WSGI application called as a WSGI server (gunicorn) calls it (PEP 3333):
    ``post_form`` returns the answer as the server holds it to send, before it closes it
    (``answer.close()``), which is when Django's request finishes. The test client closes
    every answer before it returns it, so it cannot show what happens in between. Keeps
    the cookies it is given; posts a form with the token its page holds (CSRF)."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler

        self.application = WSGIHandler()
        self.cookies = SimpleCookie()
        self.unclosed = []

    def request(self, method: str, path: str, data: dict | None = None, **headers):
        from wsgiref.util import setup_testing_defaults

        body = urlencode(data or {}).encode()
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "HTTP_HOST": "testserver",
            "SERVER_NAME": "testserver",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_COOKIE": "; ".join(f"{name}={kept.value}" for name, kept in self.cookies.items()),
            "wsgi.input": io.BytesIO(body),
            **headers,
        }
        setup_testing_defaults(environ)
        answer = self.application(environ, lambda status, headers, exc_info=None: None)
        self.cookies.update(answer.cookies)
        self.unclosed.append(answer)
        return answer

    def post_form(self, path: str, data: dict, **headers):
        """Open the form's page (its answer closed, as a server does), then post ``data``
        with its token; the post's answer is not closed yet."""
        page = self.request("GET", path, **headers)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.close(page)
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": token}, **headers)

    def close(self, answer) -> None:
        """What a server does once it has sent ``answer``."""
        self.unclosed.remove(answer)
        answer.close()


@pytest.fixture
def wsgi_server(db):
    """A ``WsgiServer``. Called as a WSGI application, Django would close the database
    connection after each request, inside the test's transaction; its own test client
    keeps it open the same way. An answer left unclosed is closed at the end."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    server = WsgiServer()
    yield server
    for answer in list(server.unclosed):
        server.close(answer)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def towns(db):
    """Two municipalities (``make_town``): Malmö and Lund."""
    malmo = make_town("Malmö stad", "malmo", "ASN", "MALMOMARK")
    lund = make_town("Lunds kommun", "lund", "KFN", "LUNDMARK")
    return malmo, lund


@pytest.fixture
def malmo_admin(towns, client):
    """An Administratörer member of Malmö (``towns``), with staff status, logged in."""
    admin = make_user("malmo-admin", groups=[ADMIN_GROUP], municipality=towns[0][0], is_staff=True)
    client.force_login(admin)
    return admin


@pytest.fixture
def lund_admin(towns, client):
    """An Administratörer member of Lund (``towns``), with staff status, logged in."""
    admin = make_user("lund-admin", groups=[ADMIN_GROUP], municipality=towns[1][0], is_staff=True)
    client.force_login(admin)
    return admin


@pytest.fixture
def server_side_cursors(db):
    """The SQL of every query read through a server-side cursor (PostgreSQL's
    ``QuerySet.iterator()``: declare, fetch, close) while the test runs."""
    named = []

    def record(execute, sql, params, many, context):
        if getattr(context["cursor"].cursor, "name", None):
            named.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield named


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL has server-side cursors"
)


SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")
VOID = {"area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"}


class UnmarkedSwedish(HTMLParser):
    """Text with Swedish letters outside any element marked ``lang="sv"`` (the page's
    title, scripts and styles aside), with the names of municipalities and boards taken
    out first: they are proper names, which WCAG leaves unmarked."""

    def __init__(self, names):
        super().__init__()
        self.names = sorted(names, key=len, reverse=True)
        self.open = []
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        if any(tag in ("title", "script", "style") for tag, _ in self.open):
            return
        if any(lang == "sv" for _, lang in self.open):
            return
        for name in self.names:
            data = data.replace(name, "")
        if SWEDISH_LETTERS.search(data):
            self.found.append(data.strip())


def _unmarked_swedish(page) -> list[str]:
    names = [*Municipality.objects.values_list("name", flat=True)]
    names += Board.objects.values_list("name", flat=True)
    # The language switch offers Swedish in Swedish, marked on its button.
    parser = UnmarkedSwedish(names)
    parser.feed(page.content.decode())
    return parser.found


@pytest.fixture
def unmarked_swedish():
    """``unmarked_swedish(page)``: the texts of an English page that are Swedish and not
    marked so (WCAG 3.1.2; see tests/test_content_language.py)."""
    return _unmarked_swedish

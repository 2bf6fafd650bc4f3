"""Browser tests: Playwright for Python driving Debian's chromium against the live test server.

One browser for the whole session, a fresh browser context (cookies, storage) per test.
Every page a test opens is watched: any console error or warning (a Content-Security-
Policy violation, an SVG attribute the browser rejects, a failed request) and any
uncaught JavaScript error fails the test, and the test's last page is saved as a screenshot under
``test-artifacts/screenshots/`` (the folder is printed at the end of the run).

Without chromium the browser tests are skipped with a message, except in CI (``CI=true``),
where a missing browser is an error: CI must never skip them silently.
"""

import os
import re
from pathlib import Path

import pytest

from . import SCREENSHOT_DIR
from .helpers import CHROMIUM, PASSWORD, require_chromium

# Playwright's sync API runs an asyncio event loop in this thread; the ORM calls the
# tests make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
BASE_DIR = Path(__file__).resolve().parents[2]
FIXTURES_DIR = BASE_DIR / "fixtures"


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with a path for MEDIA_URL.

    Our MEDIA_URL is None on purpose (decision documents are served only through a view
    that checks who may read them), but Django's live server wraps every request in a
    media-file handler that needs a URL path. It reads MEDIA_URL once, while the server
    starts, so give it a path no page uses for that moment only.
    """
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    with override_settings(MEDIA_URL="/live-server-serves-no-media/"):
        server = LiveServer(address)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class PageProblems:
    """What went wrong in the browser while a test ran: console errors and warnings
    (CSP violations among them) and uncaught script errors."""

    def __init__(self, page):
        self.messages: list[tuple[str, str, str]] = []
        self.script_errors: list[str] = []
        # Pages answered with an error status on purpose: a form with errors comes back
        # with 400, and the tests assert that status themselves.
        self.error_documents: set[str] = set()
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.script_errors.append(str(error)))
        page.on("response", self._on_response)

    def _on_console(self, message):
        if message.type in ("error", "warning"):
            self.messages.append((message.type, message.location.get("url", ""), message.text))

    def _on_response(self, response):
        if response.request.resource_type == "document" and response.status >= 400:
            self.error_documents.add(response.url)

    @property
    def console(self) -> list[str]:
        """Every console error and warning, but the browser's note that a page itself came
        with an error status (any other failed request, a stylesheet, an icon, counts)."""
        return [
            f"{kind} at {url}: {text}"
            for kind, url, text in self.messages
            if not (text.startswith("Failed to load resource") and url in self.error_documents)
        ]

    @property
    def csp_violations(self) -> list[str]:
        return [line for line in self.console if "Content Security Policy" in line]

    def assert_none(self):
        assert not self.console, "Console errors and warnings:\n" + "\n".join(self.console)
        assert not self.script_errors, "JavaScript errors:\n" + "\n".join(self.script_errors)


def _screenshot_name(nodeid: str) -> str:
    name = nodeid.split("::", 1)[-1] if "::" in nodeid else nodeid
    module = Path(nodeid.split("::", 1)[0]).stem
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{module}--{name}")[:150] + ".png"


@pytest.fixture
def page(browser, live_server, request):
    """A fresh Swedish browser tab on the live server, checked and photographed at the end."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="sv-SE",
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = PageProblems(page)
    page.problems = problems
    yield page
    if page.url != "about:blank":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / _screenshot_name(request.node.nodeid)
        page.screenshot(path=str(path), full_page=True)
    context.close()
    problems.assert_none()


@pytest.fixture
def seeds():
    """The seed fixtures (the real Malmö documents), imported as an admin would."""
    from dataimport.importer import import_files

    import_files([FIXTURES_DIR])


@pytest.fixture
def make_user(django_user_model):
    """Create a user with the test password, optionally in role groups and on board staff;
    auditors and admins belong to the first municipality (the seeds' Malmö)."""
    from django.contrib.auth.models import Group

    from recommendations.models import Membership, Municipality
    from recommendations.roles import ADMIN_GROUP, AUDITOR_GROUP

    def make(username, *, groups=(), boards=(), **fields):
        user = django_user_model.objects.create_user(username=username, password=PASSWORD, **fields)
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        for board in boards:
            board.staff.add(user)
        if {AUDITOR_GROUP, ADMIN_GROUP} & set(groups):
            municipality = Municipality.objects.order_by("pk").first()
            Membership.objects.create(user=user, municipality=municipality)
        return user

    return make


@pytest.fixture
def staff_draft(make_user):
    """The sample (``build_sample``) with a draft of its ASN board in the open round, and
    that board's case officer ``handlaggare``: (sample, response)."""
    from recommendations.roles import STAFF_GROUP
    from responses.models import Response
    from tests.factories import build_sample

    sample = build_sample()
    make_user("handlaggare", groups=[STAFF_GROUP], boards=[sample.asn])
    response = Response.objects.create(
        board=sample.asn, round=sample.open_round, title="Lägesbeskrivning 2026"
    )
    return sample, response

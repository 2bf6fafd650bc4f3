"""Reflow (WCAG 2.1 criterion 1.4.10): at 320 CSS px no page scrolls sideways.

A phone user must read every page without scrolling in two directions. Only data tables may
be wider than the screen, and then they scroll inside their own container, which is a named,
keyboard-focusable region so that keyboard users can scroll it too. axe-core does not check
this, so each page type is measured here.
"""

from pprint import pformat

import pytest
from django.urls import reverse

from recommendations.models import Audit, Board, Recommendation
from recommendations.roles import AUDITOR_GROUP, STAFF_GROUP
from responses.models import Response
from tests.browser.conftest import SCREENSHOT_DIR
from tests.browser.helpers import login
from tests.conftest import DATA
from tests.factories import build_sample

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}
# A folder of their own: the conftest clears the screenshot folder's top level on each run.
PHONE_SCREENSHOTS = SCREENSHOT_DIR / "reflow-320"

# What is wider than the page, and whether each table that overflows its own box scrolls in a
# labelled, focusable region.
MEASURE = """() => {
  const root = document.documentElement;
  const badTables = [];
  for (const table of document.querySelectorAll('main table')) {
    const box = table.parentElement;
    if (table.scrollWidth <= box.clientWidth + 1) continue;
    const region = table.closest('.table-scroll');
    const named = region && region.getAttribute('role') === 'region'
      && (region.getAttribute('aria-label') || region.getAttribute('aria-labelledby'))
      && region.getAttribute('tabindex') === '0';
    const caption = table.querySelector('caption');
    if (!named) badTables.push(table.className || (caption && caption.textContent) || 'table');
  }
  const wide = [];
  if (root.scrollWidth > root.clientWidth) {
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > root.clientWidth + 1 && !el.closest('.table-scroll')) {
        wide.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
        if (wide.length > 4) break;
      }
    }
  }
  return {width: root.scrollWidth, wide: wide, badTables: badTables};
}"""


def reflow_problems(page, urls: dict[str, str]) -> dict[str, str]:
    """Visit each page at 320 px and photograph it; return what scrolls sideways, per page."""
    page.set_viewport_size(PHONE)
    PHONE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = {}
    failed = []  # a missing favicon or stylesheet shows up here as a 404
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for name, url in urls.items():
        response = page.goto(url)
        page.wait_for_load_state("load")
        assert response.ok, f"{name}: HTTP {response.status}"
        page.screenshot(path=str(PHONE_SCREENSHOTS / f"{name}.png"), full_page=True)
        found = page.evaluate(MEASURE)
        if found["width"] > PHONE["width"] or found["badTables"]:
            problems[name] = found
    if failed:
        problems["failed requests"] = failed
    return problems


def test_public_pages_reflow_at_320_px(page, seeds):
    listing = reverse("recommendations:recommendation_list")
    # The municipality's matrix: the national one waits for a municipality to be chosen.
    matrix = reverse("municipal:matrix", args=["malmo-stad"])
    asn = Board.objects.get(short_code="ASN")
    urls = {
        "start": reverse("recommendations:home"),
        "list": f"{listing}?board={asn.pk}",
        "search": f"{listing}?q=arbetsmarknad",
        "recommendation": Recommendation.objects.get(
            audit__reference="SR-2018-71", position=10
        ).get_absolute_url(),
        "audit": Audit.objects.get(reference="SR-2018-71").get_absolute_url(),
        "board": asn.get_absolute_url(),
        "response": Response.objects.published().order_by("pk").first().get_absolute_url(),
        "matrix": matrix,
        "matrix-filtered": f"{matrix}?per=2020-01-01&board={asn.pk}",
        "accessibility": reverse("accessibility"),
        "login": reverse("login"),
    }
    problems = reflow_problems(page, urls)
    assert not problems, pformat(problems)


def test_staff_and_auditor_pages_reflow_at_320_px(page, make_user):
    sample = build_sample()
    make_user("handlaggare", groups=[STAFF_GROUP], boards=[sample.asn])
    make_user("revisor", groups=[AUDITOR_GROUP])
    draft = Response.objects.create(board=sample.asn, round=sample.open_round, title="Utkast")
    login(page, "handlaggare")
    problems = reflow_problems(
        page,
        {
            "staff-start": reverse("responses:response_start"),
            "staff-form": reverse("responses:response_edit", args=[draft.pk]),
            "staff-preview": reverse("responses:response_preview", args=[draft.pk]),
            "staff-publish": reverse("responses:response_publish", args=[draft.pk]),
            "staff-submit": reverse("responses:response_submit", args=[draft.pk]),
            "staff-history": reverse("responses:response_history", args=[draft.pk]),
            "password-change": reverse("password_change"),
        },
    )
    page.context.clear_cookies()
    login(page, "revisor")
    problems |= reflow_problems(
        page,
        {
            "auditor-attention": reverse("auditors:attention"),
            "auditor-assess": reverse("auditors:assess", args=[sample.rec_1.pk]),
            "auditor-close": reverse("auditors:close", args=[sample.rec_1.pk]),
            "auditor-history": reverse("auditors:recommendation_history", args=[sample.rec_1.pk]),
            "auditor-recommendation": sample.rec_1.get_absolute_url(),
        },
    )
    assert not problems, pformat(problems)


def test_the_admin_import_page_reflows_at_320_px(page, make_user):
    make_user("admin", is_staff=True, is_superuser=True)
    login(page, "admin")
    problems = reflow_problems(page, {"admin-import": reverse("fixture_import")})
    assert not problems, pformat(problems)


def test_the_import_dry_run_says_at_320_px_that_its_table_scrolls_in_a_region_of_its_own(
    page, make_user
):
    """At 320 px the dry run's table scrolled inside its own box, with nothing to say that
    there was more to the right, and a keyboard could not reach the box to scroll it."""
    make_user("admin", is_staff=True, is_superuser=True)
    login(page, "admin")
    page.set_viewport_size(PHONE)
    page.goto(reverse("fixture_import"))
    page.get_by_label("Fixturfil (JSON)").set_input_files(str(DATA / "minimal.json"))
    page.get_by_role("button", name="Granska filen").click()

    region = page.get_by_role("region", name="Vad importen skulle göra")
    hint = page.get_by_text("Är tabellen bredare än skärmen, rulla den i sidled")
    assert hint.is_visible()
    assert hint.bounding_box()["y"] < region.bounding_box()["y"]  # read before the table
    assert region.get_attribute("aria-describedby") == hint.get_attribute("id")
    assert region.get_by_role("table", name="Vad importen skulle göra").is_visible()
    found = page.evaluate(MEASURE)
    assert found["width"] <= PHONE["width"] and found["badTables"] == [], found
    # Reached with the keyboard alone (after the skip link, the menu and the form's
    # controls: Tab until it has focus), and scrolled with its arrow keys.
    for _ in range(40):
        page.keyboard.press("Tab")
        if region.evaluate("e => e === document.activeElement"):
            break
    assert region.evaluate("e => e === document.activeElement"), "Tab never reached the table"
    # The types' names ("Uppföljningsomgångar") make it wider than the phone.
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=region.element_handle(), timeout=2000)
    PHONE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PHONE_SCREENSHOTS / "admin-import-dry-run.png"), full_page=True)

    # On a wide screen the table fits, and the hint is not shown.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not hint.is_visible()
    assert not region.evaluate("e => e.scrollWidth > e.clientWidth")


def test_the_password_summary_on_a_users_admin_page_wraps_at_320_px(page, make_user, settings):
    """Django's line "algoritm: pbkdf2_sha256 iterationer: 1000000 salt: abcdef****** hash:
    …" holds the masked salt and hash without a space: at 320 px it ran past the page's
    edge, cut off."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    make_user("admin", is_staff=True, is_superuser=True)
    user = make_user("revisor")
    # As Django's default hasher stores a password (22 characters of salt, 44 of hash).
    user.password = "pbkdf2_sha256$1000000$" + "s" * 22 + "$" + "h" * 43 + "="
    user.save()
    login(page, "admin")
    page.set_viewport_size(PHONE)
    page.goto(reverse("admin:auth_user_change", args=[user.pk]))

    summary = page.locator(".field-password p").first
    assert "pbkdf2_sha256" in summary.inner_text() and "hash" in summary.inner_text()
    found = page.evaluate(MEASURE)
    assert found["width"] <= PHONE["width"], found
    # The form row clips what runs past it, so the page is no wider: what was cut off ran
    # past the summary's own right edge.
    box = summary.bounding_box()
    right = box["x"] + box["width"]
    assert box["x"] >= 0 and right <= PHONE["width"]
    for value in summary.locator("bdi").all():  # the algorithm, iterations, salt, hash
        value_box = value.bounding_box()
        assert value_box["x"] + value_box["width"] <= right + 0.5, value.inner_text()
    PHONE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PHONE_SCREENSHOTS / "admin-user-password.png"), full_page=True)


def test_a_recommendations_version_history_in_the_admin_reflows_at_320_px(page, make_user):
    recommendation = build_sample().rec_1
    recommendation.label = "Rekommendation 1 (ändrad i administrationen)"
    recommendation.save()  # a second version, with its changes listed
    make_user("admin", is_staff=True, is_superuser=True)
    login(page, "admin")
    history = reverse("admin:recommendations_recommendation_history", args=[recommendation.pk])
    problems = reflow_problems(page, {"admin-version-history": history})
    assert not problems, pformat(problems)


# WCAG 1.4.12: the spacing a reader may set in their own style sheet. Adopted through the
# CSSOM, which the Content-Security-Policy (style-src 'self') leaves alone, unlike a <style>.
TEXT_SPACING = """() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`* { line-height: 1.5 !important; letter-spacing: .12em !important;
    word-spacing: .16em !important; } p { margin-bottom: 2em !important; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return document.documentElement.scrollWidth;
}"""


def test_the_follow_up_form_reflows_at_320_px_with_a_readers_text_spacing(page, seeds, make_user):
    """The boards to ask are a fieldset of checkboxes: a fieldset and each label in its
    flex row were as wide as their longest word, and with the wider letters of WCAG 1.4.12
    "Gymnasie- och vuxenutbildningsnämnden" pushed the page 11 px sideways."""
    make_user("revisor", groups=[AUDITOR_GROUP])
    login(page, "revisor")
    page.set_viewport_size(PHONE)
    page.goto(
        reverse("auditors:request_follow_up", args=[Audit.objects.get(reference="SR-2018-71").pk])
    )
    width = page.evaluate(TEXT_SPACING)
    PHONE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PHONE_SCREENSHOTS / "follow-up-text-spacing.png"), full_page=True)

    assert width <= PHONE["width"]
    assert page.get_by_label("Gymnasie- och vuxenutbildningsnämnden").is_visible()


def test_the_matrix_keeps_each_rows_recommendation_in_view_as_it_scrolls_on_a_phone(page, seeds):
    """At 320 px the matrix shows a year or two at a time: scrolled to the latest years, a
    status stood without the recommendation it belongs to, and the audit's name above the
    rows had scrolled away. Both now stay at the region's left edge."""
    page.set_viewport_size(PHONE)
    page.goto(reverse("municipal:matrix", args=["malmo-stad"]))
    region = page.get_by_role("region", name="Status per rekommendation och år")
    region.evaluate("e => e.scrollLeft = e.scrollWidth")
    assert region.evaluate("e => e.scrollLeft") > 0  # it does scroll sideways
    edge = region.bounding_box()["x"]
    recommendation = region.locator("tbody th[scope=row]").first
    audit = region.locator(".group-row a").first

    assert recommendation.bounding_box()["x"] == pytest.approx(edge, abs=1)
    assert edge <= audit.bounding_box()["x"] < edge + 20
    # ...with a year's status beside it.
    assert recommendation.bounding_box()["width"] < PHONE["width"] / 2
    PHONE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PHONE_SCREENSHOTS / "matrix-scrolled-to-the-latest-years.png"))


# Each case number on the page: its text and how many lines it takes.
CASE_NUMBERS = """() => Array.from(document.querySelectorAll('main .case-number'), (el) => {
  const lines = new Set(Array.from(el.getClientRects(), (r) => Math.round(r.top)));
  return {text: el.textContent, lines: lines.size};
})"""


def test_an_audits_reference_stays_on_one_line_at_320_px(page, make_user):
    """A phone broke "SR-2018-71" at its hyphens, "SR-" above "2018-71": every page writes
    an audit's reference whole on one line, as the text it is (copied and found as
    written)."""
    sample = build_sample()
    reference = "KS-2023-00123"
    sample.audit.reference = reference
    sample.audit.title = "Granskning av kommunstyrelsens styrning och uppföljning av extratjänster"
    sample.audit.save()
    urls = {
        "reference-start": reverse("municipal:home", args=["malmo"]),
        "reference-list": reverse("municipal:recommendation_list", args=["malmo"]),
        "reference-audit": sample.audit.get_absolute_url(),
        "reference-recommendation": sample.rec_1.get_absolute_url(),
        "reference-board": sample.asn.get_absolute_url(),
        "reference-response": sample.first_response.get_absolute_url(),
    }
    page.set_viewport_size(PHONE)
    PHONE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    broken, missing = {}, []
    for name, url in urls.items():
        page.goto(url)
        page.screenshot(path=str(PHONE_SCREENSHOTS / f"{name}.png"), full_page=True)
        found = page.evaluate(CASE_NUMBERS)
        if not any(each["text"] == reference for each in found):
            missing.append(name)
        if split := [each for each in found if each["lines"] != 1]:
            broken[name] = split
    assert missing == [] and broken == {}, pformat({"missing": missing, "broken": broken})

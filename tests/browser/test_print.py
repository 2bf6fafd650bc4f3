"""The recommendation page printed on A4 for a meeting (chromium's own PDF print).

Nothing sticks out past the margin, a heading never ends a page without what it heads, and
a long answer flows on from the first page instead of leaving it half blank.
"""

import pytest

from recommendations.models import Recommendation
from tests.browser.conftest import SCREENSHOT_DIR

pytestmark = pytest.mark.browser

PRINTS = SCREENSHOT_DIR / "print"
# A4 (210 mm) less the 15 mm margins of print.css, in CSS pixels (96 per inch).
A4_CONTENT_WIDTH = round((210 - 2 * 15) / 25.4 * 96)

LAYOUT = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll('main table')]
    .filter(t => t.getBoundingClientRect().right > root.clientWidth + 1)
    .map(t => (t.querySelector('caption') || t).textContent.trim().slice(0, 60));
  const loose = [...document.querySelectorAll('main h2, main h3, main h4, main caption')]
    .filter(h => getComputedStyle(h).breakAfter !== 'avoid')
    .map(h => h.textContent.trim().slice(0, 60));
  const unbreakable = [...document.querySelectorAll('main .entry, main section')]
    .filter(e => getComputedStyle(e).breakInside === 'avoid').length;
  return {width: root.scrollWidth, wide, loose, unbreakable};
}"""


def test_the_recommendation_page_prints_on_a4_within_the_margins(page, seeds):
    recommendation = Recommendation.objects.get(audit__reference="SR-2018-71", position=10)
    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
    page.goto(recommendation.get_absolute_url())
    page.emulate_media(media="print")
    layout = page.evaluate(LAYOUT)

    assert layout["width"] <= A4_CONTENT_WIDTH, layout
    assert layout["wide"] == []  # every table fits between the margins
    assert layout["loose"] == []  # no heading or caption is left alone at a page's foot
    assert layout["unbreakable"] == 0  # a long answer may continue on the next page

    PRINTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(PRINTS / "recommendation.pdf"), format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    page.screenshot(path=str(PRINTS / "recommendation-print-media.png"), full_page=True)


def test_a_printed_page_names_its_municipality_the_day_and_its_address(page, seeds):
    from django.urls import reverse
    from django.utils import timezone

    matrix = reverse("municipal:matrix", args=["malmo-stad"])
    page.goto(matrix)
    header = page.locator(".print-header")
    assert not header.is_visible()  # on screen the site's header says it
    page.emulate_media(media="print")
    assert header.is_visible()
    line = header.inner_text()
    assert "Malmö stad" in line
    assert f"utskriven {timezone.localdate().isoformat()}" in line
    assert matrix in line
    PRINTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PRINTS / "matrix-print-media.png"))


def test_a_printed_draft_says_a_recommendation_is_not_answered_yet(page, make_user):
    from django.urls import reverse

    from recommendations.roles import STAFF_GROUP
    from responses.models import Response
    from tests.browser.helpers import login
    from tests.factories import build_sample

    sample = build_sample()
    make_user("handlaggare", groups=[STAFF_GROUP], boards=[sample.asn])
    response = Response.objects.create(board=sample.asn, round=sample.open_round, title="Utkast")
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))
    page.locator(f"#id_rec-{sample.rec_1.pk}-status").select_option("in_progress")
    page.emulate_media(media="print")

    answered = page.locator(f"#rekommendation-{sample.rec_1.pk}")
    waiting = page.locator(f"#rekommendation-{sample.rec_2.pk}")
    assert answered.locator(f"#id_rec-{sample.rec_1.pk}-status").is_visible()
    assert not answered.get_by_text("inte besvarad ännu").is_visible()
    assert not waiting.locator(f"#id_rec-{sample.rec_2.pk}-status").is_visible()
    assert waiting.get_by_text("inte besvarad ännu").is_visible()
    page.emulate_media(media="screen")
    assert not waiting.get_by_text("inte besvarad ännu").is_visible()


def test_a_printed_assessment_page_is_the_answers_and_assessments_without_the_form(
    page, seeds, make_user
):
    """Printed for a meeting, the assessment page keeps the round's answers and the
    recorded assessments; the form's heading and the links to change an assessment, of
    no use on paper, go with the form."""
    from django.urls import reverse

    from recommendations.models import AuditorAssessment
    from recommendations.roles import AUDITOR_GROUP
    from tests.browser.helpers import login

    recommendation = Recommendation.objects.get(audit__reference="SR-2018-71", position=1)
    AuditorAssessment.record(
        recommendation=recommendation,
        round=recommendation.audit.rounds.order_by("sequence").first(),
        status="in_progress",
        comment="Ingen plan ännu.",
        user=None,
    )
    make_user("revisor", groups=[AUDITOR_GROUP])
    login(page, "revisor")
    page.goto(reverse("auditors:assess", args=[recommendation.pk]))
    assessments = page.get_by_role("region", name="Registrerade bedömningar")
    change = assessments.get_by_role("link", name="Ändra för omgång 1")
    assert change.is_visible()
    page.emulate_media(media="print")

    assert "Ingen plan ännu." in assessments.inner_text()
    assert not change.is_visible()
    assert not page.get_by_role("heading", name="Registrera eller ändra bedömning").is_visible()
    assert page.locator("#answers-heading").is_visible()  # the round's answers print


def test_a_printed_matrix_says_what_its_dot_and_dash_mean(page, seeds):
    """The key to the matrix is a closed <details>, which prints nothing: on paper a "·"
    (no answer that year) and a "–" (before the audit) stood unexplained."""
    from django.urls import reverse

    page.goto(reverse("municipal:matrix", args=["malmo-stad"]))
    key = page.locator(".print-key")
    assert not key.is_visible()  # on screen the key above the matrix says it
    page.emulate_media(media="print")
    assert key.is_visible()
    assert key.inner_text() == ("Tecken utan ord: · inget svar; – ej aktuellt: före granskningen")


def test_a_printed_draft_shows_its_whole_title_on_a4(page, make_user):
    """A title is often a line and a half of words; its one-line box printed it cut at the
    page's edge ("… med anledning av stadsrevi"). On paper it is text that wraps."""
    from django.urls import reverse

    from recommendations.roles import STAFF_GROUP
    from responses.models import Response
    from tests.browser.helpers import login
    from tests.factories import build_sample

    title = (
        "Uppföljande yttrande: aktuell lägesbeskrivning av vidtagna åtgärder med anledning "
        "av stadsrevisionens granskning av arbetsmarknadsinsatser"
    )
    sample = build_sample()
    make_user("handlaggare", groups=[STAFF_GROUP], boards=[sample.asn])
    response = Response.objects.create(board=sample.asn, round=sample.open_round, title=title)
    login(page, "handlaggare")
    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
    page.goto(reverse("responses:response_edit", args=[response.pk]))
    printed = page.locator(".response-form .print-value")
    assert not printed.is_visible()  # on screen the box holds it
    page.emulate_media(media="print")

    assert not page.locator("#id_title").is_visible()
    assert printed.inner_text() == title
    box = printed.bounding_box()
    assert box["x"] + box["width"] <= A4_CONTENT_WIDTH
    PRINTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PRINTS / "draft-title-print-media.png"))


def test_a_printed_page_leaves_out_the_note_of_what_was_just_done(page, make_user):
    """Printed for the board's meeting right after saving, the draft began with "Utkastet
    är sparat.": a note to the person at the screen, not part of the draft."""
    from django.urls import reverse

    from recommendations.roles import STAFF_GROUP
    from responses.models import Response
    from tests.browser.helpers import login
    from tests.factories import build_sample

    sample = build_sample()
    make_user("handlaggare", groups=[STAFF_GROUP], boards=[sample.asn])
    response = Response.objects.create(board=sample.asn, round=sample.open_round, title="Utkast")
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))
    with page.expect_navigation():
        page.get_by_role("button", name="Spara utkast").click()
    saved = page.get_by_text("Utkastet är sparat.")
    assert saved.is_visible()
    page.emulate_media(media="print")

    assert not saved.is_visible()
    assert page.get_by_role("heading", name="Redigera yttrande").is_visible()


def test_a_printed_list_says_what_it_is_filtered_by_and_not_an_empty_filter_box(page, seeds):
    """The filter form prints nothing (print.css leaves forms out), so the paper had an empty
    box headed "Filtrera", while the line saying which filters were chosen was left out too:
    a printed list of six recommendations did not say which six. It now says it in words."""
    from django.urls import reverse

    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
    page.goto(f"{reverse('recommendations:recommendation_list')}?status=in_progress")
    page.emulate_media(media="print")

    assert not page.get_by_role("heading", name="Filtrera").is_visible()
    active = page.locator(".active-filters")
    assert active.is_visible()
    assert "Aktuell status: Pågående" in active.inner_text()
    assert not active.get_by_text("✕").is_visible()  # the chip's "remove" mark is no use on paper
    PRINTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PRINTS / "list-filtered-print-media.png"))


def test_a_printed_matrix_says_what_it_shows_instead_of_asking_for_a_date(page, seeds):
    """On paper the filter form prints nothing, yet the intro still said "Välj ett datum
    …": the printed page says instead as of which day the table is and what was chosen."""
    from django.urls import reverse
    from django.utils import timezone

    from recommendations.models import Board

    board = Board.objects.get(short_code="ASN")
    page.goto(f"{reverse('municipal:matrix', args=['malmo-stad'])}?board={board.pk}")
    instruction = page.get_by_text("Välj ett datum för att se vad som var känt då")
    shown = page.locator(".print-only")
    assert instruction.is_visible() and not shown.is_visible()  # on screen the form is there
    page.emulate_media(media="print")

    assert not instruction.is_visible()
    assert shown.inner_text() == (
        f"Visar det som är känt den {timezone.localdate().isoformat()}. Urval: Nämnd: {board.name}."
    )
    PRINTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PRINTS / "matrix-board-print-media.png"))


def test_a_printed_matrix_as_of_a_day_says_that_day(page, seeds):
    from django.urls import reverse

    page.goto(f"{reverse('municipal:matrix', args=['malmo-stad'])}?per=2022-06-30")
    page.emulate_media(media="print")

    main = page.locator("main").inner_text()
    assert "Välj ett datum" not in main
    assert "Visar det som var känt den 2022-06-30" in main
    assert "Visar det som är känt den" not in main
    assert "Urval:" not in main, "nothing chosen but the day, which the notice gives"

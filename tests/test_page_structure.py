"""Every browsing page: landmarks, one h1, labelled controls, status in words, visible focus."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_municipality, make_tracked_audit

pytestmark = pytest.mark.django_db


class Outline(HTMLParser):
    """Collects what the checks need from a page. A status badge is read as its symbol (the
    ``status-symbol`` span) and the words a sighted reader sees beside it (outside the symbol
    and the visually hidden prefix)."""

    def __init__(self):
        super().__init__()
        self.tags = []
        self.label_fors = set()
        self.controls = []
        self.badges = []  # (symbol, visible words)
        self._spans = []  # the classes of every open span inside a badge

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "label" and attrs.get("for"):
            self.label_fors.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append(attrs.get("id"))
        classes = (attrs.get("class") or "").split()
        if tag == "span" and ("status" in classes or self._spans):
            if not self._spans:
                self.badges.append(["", ""])
            self._spans.append(classes)

    def handle_endtag(self, tag):
        if tag == "span" and self._spans:
            self._spans.pop()

    def handle_data(self, data):
        if not self._spans:
            return
        inner = self._spans[-1]
        if "status-symbol" in inner:
            self.badges[-1][0] += data.strip()
        elif "visually-hidden" not in inner:
            self.badges[-1][1] += data


@pytest.fixture
def tracked():
    # A second municipality, so that "/" is the national page rather than a redirect.
    make_municipality(name="Lunds kommun", slug="lund")
    return make_tracked_audit(n_recommendations=2)


def pages(tracked):
    rec = tracked.recommendations[0]
    return [
        "/",
        reverse("municipal:home", args=[tracked.audit.municipality.slug]),
        "/rekommendationer/?status=in_progress",
        rec.get_absolute_url(),
        tracked.audit.get_absolute_url(),
        tracked.board.get_absolute_url(),
        tracked.responses[1].get_absolute_url(),
        "/matris/?per=2020-12-31",
    ]


def test_every_page_has_landmarks_one_h1_labelled_controls_and_worded_statuses(client, tracked):
    for url in pages(tracked):
        outline = Outline()
        outline.feed(client.get(url).content.decode())
        assert outline.tags.count("h1") == 1, url
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in outline.tags, (url, landmark)
        for control in outline.controls:
            assert control in outline.label_fors, (url, control)
        # The national page shows counts and shares, no status: every other page has badges.
        assert bool(outline.badges) == (url != "/"), url
        for symbol, words in outline.badges:
            # A symbol and a visible word: never colour alone (a hidden prefix does not count).
            assert symbol and words.strip(), (url, symbol, words)


def test_a_badge_without_its_word_is_caught():
    outline = Outline()
    outline.feed(
        '<span class="status status-planned"><span class="visually-hidden">Status: </span>'
        '<span class="status-symbol" aria-hidden="true">◔</span> </span>'
    )
    assert outline.badges == [["◔", " "]]


def stylesheet_rules(name):
    text = re.sub(
        r"/\*.*?\*/",
        "",
        (Path(settings.BASE_DIR) / "static" / "css" / name).read_text(),
        flags=re.S,
    )
    return [
        (selector.strip(), body) for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text)
    ]


def test_focus_is_visible_on_every_control():
    rules = stylesheet_rules("site.css")
    focus = dict(rules).get(":focus-visible", "")
    assert re.search(r"outline:\s*[2-9]px solid", focus), focus
    # Only the main landmark (focused by the skip link, not a control) may drop the outline.
    for selector, body in rules:
        if "focus" in selector and re.search(r"outline:\s*(none|0)\b", body):
            assert selector == "main:focus", selector


class BlocksInParagraphs(HTMLParser):
    """The blocks that open inside an open <p>: the browser closes the paragraph before
    each, so the line breaks where its writer did not mean it to (a tolkning marker on a
    line of its own, away from the date it is said of)."""

    BLOCKS = {"div", "p", "ul", "ol", "table", "details", "blockquote", "section", "dl"}

    def __init__(self):
        super().__init__()
        self.open_paragraphs = 0
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS and self.open_paragraphs:
            self.found.append((tag, dict(attrs).get("class")))
        if tag == "p":
            self.open_paragraphs += 1

    def handle_endtag(self, tag):
        if tag == "p" and self.open_paragraphs:
            self.open_paragraphs -= 1


def test_a_paragraph_on_the_seed_pages_never_holds_a_block_that_would_break_it(client, seeded):
    from recommendations.models import Audit, Board, Recommendation
    from responses.models import Response

    # SR-2018-71's first recommendation: a measure reported done in 2019, the year a tolkning.
    urls = [Recommendation.objects.get(pk=1100).get_absolute_url()]
    urls += [audit.get_absolute_url() for audit in Audit.objects.all()]
    urls += [board.get_absolute_url() for board in Board.objects.all()]
    urls += [response.get_absolute_url() for response in Response.objects.published()]
    found = {}
    for url in urls:
        check = BlocksInParagraphs()
        check.feed(client.get(url).content.decode())
        if check.found:
            found[url] = check.found
    assert found == {}


def test_a_block_inside_a_paragraph_is_caught():
    check = BlocksInParagraphs()
    check.feed('<p>Rapporterad klar: 2019<div class="inference">tolkning</div></p><p>ok</p>')
    assert check.found == [("div", "inference")]

"""Every browsing page: landmarks, one h1, labelled controls, status in words, visible focus."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import make_tracked_audit

pytestmark = pytest.mark.django_db


class Outline(HTMLParser):
    """Collects what the checks need from a page."""

    def __init__(self):
        super().__init__()
        self.tags = []
        self.label_fors = set()
        self.controls = []
        self.badge_texts = []
        self._badge_depth = 0
        self._badge_text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "label" and attrs.get("for"):
            self.label_fors.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append(attrs.get("id"))
        classes = (attrs.get("class") or "").split()
        if tag == "span" and "status" in classes:
            self._badge_depth = 1
            self._badge_text = ""
        elif tag == "span" and self._badge_depth:
            self._badge_depth += 1

    def handle_endtag(self, tag):
        if tag == "span" and self._badge_depth:
            self._badge_depth -= 1
            if not self._badge_depth:
                self.badge_texts.append(self._badge_text.strip())

    def handle_data(self, data):
        if self._badge_depth:
            self._badge_text += data


@pytest.fixture
def world():
    return make_tracked_audit(n_recommendations=2)


def pages(world):
    rec = world.recommendations[0]
    return [
        "/",
        "/rekommendationer/?status=in_progress",
        rec.get_absolute_url(),
        world.audit.get_absolute_url(),
        world.board.get_absolute_url(),
        world.responses[1].get_absolute_url(),
        "/matris/?per=2020-12-31",
    ]


def test_every_page_has_landmarks_one_h1_labelled_controls_and_worded_statuses(client, world):
    for url in pages(world):
        outline = Outline()
        outline.feed(client.get(url).content.decode())
        assert outline.tags.count("h1") == 1, url
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in outline.tags, (url, landmark)
        for control in outline.controls:
            assert control in outline.label_fors, (url, control)
        assert outline.badge_texts, url
        for text in outline.badge_texts:
            # A symbol and at least one word: never colour alone.
            assert len(text.split()) >= 2, (url, text)


def test_focus_is_visible_on_every_control():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    assert ":focus-visible { outline: 3px solid" in css

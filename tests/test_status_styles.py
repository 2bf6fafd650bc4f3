"""Every status of the vocabulary has its style in the one status stylesheet, which the site and
the admin both load, and a place in the display order."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from recommendations import overview
from recommendations.status import Status

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "status.css"


def declarations() -> dict[str, set[str]]:
    """{selector: the properties it declares} of the status stylesheet."""
    text = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.S)
    rules = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        properties = {part.split(":")[0].strip() for part in body.split(";") if ":" in part}
        for selector in selectors.split(","):
            rules.setdefault(selector.strip(), set()).update(properties)
    return rules


@pytest.mark.parametrize("status", list(Status), ids=lambda status: status.value)
def test_every_status_has_a_badge_and_a_chart_bar_in_the_status_stylesheet(status):
    rules = declarations()
    assert {"background", "color"} <= rules.get(f".{status.css_class}", set())
    assert "fill" in rules.get(f"rect.{status.css_class}", set())


def test_the_stylesheet_has_no_style_for_a_status_that_does_not_exist():
    known = {status.css_class for status in Status} | {"status-none"}
    styled = {
        match
        for selector in declarations()
        for match in re.findall(r"\.(status-[a-z-]+)", selector)
    }
    assert styled - known == set()


def test_the_site_and_the_admin_both_load_the_status_stylesheet(client, admin_client):
    assert "css/status.css" in client.get("/tillganglighet/").text
    assert "css/status.css" in admin_client.get("/admin/").text


def test_no_other_stylesheet_styles_a_status_colour():
    for sheet in STYLESHEET.parent.glob("*.css"):
        if sheet.name in ("status.css", "print.css"):
            continue
        for status in Status:
            assert f".{status.css_class} " not in sheet.read_text(), (sheet.name, status)


def test_every_status_has_its_own_place_in_the_display_order():
    assert sorted(status.rank for status in Status) == list(range(len(Status)))
    assert sorted(Status, key=lambda status: status.rank) == overview.STATUS_ORDER


def test_a_badge_drawn_once_per_language_reads_in_each_language():
    from django.utils import translation

    from recommendations.templatetags.status_tags import status_badge

    with translation.override("sv"):
        swedish = status_badge(Status.IMPLEMENTED, "Nämndens status")
    with translation.override("en"):
        english = status_badge("implemented", "Board's status")
    with translation.override("sv"):
        assert status_badge("implemented", "Nämndens status") == swedish
        assert status_badge("") != swedish  # no answer has its own badge
    assert "Genomförd" in swedish and "Nämndens status: " in swedish
    assert "Implemented" in english and "Genomförd" not in english


def test_a_badge_reads_the_same_whether_its_prefix_came_from_a_template_or_from_python():
    """A template's translated literal arrives marked safe, Python's gettext does not;
    the badge drawn once served both, so it read "Board's" or "Board&#x27;s" by which
    page asked first."""
    from django.utils.safestring import mark_safe

    from recommendations.templatetags import status_tags

    plain, safe = "Board's status", mark_safe("Board's status")
    for order in ((safe, plain), (plain, safe)):
        status_tags._drawn_once.cache_clear()
        first, second = (status_tags.status_badge("planned", prefix) for prefix in order)
        assert first == second
        assert "Board&#x27;s status: " in first

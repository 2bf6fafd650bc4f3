"""Fragments several pages show (a response's unpublished tag, a closed recommendation's
tag, a board's standing, an overdue measure's flag) come from one tag each: the pages
agree with each other and with the model's rule they ask."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from recommendations.templatetags.recommendation_tags import closed_notice, closed_tag
from responses.models import Response
from responses.templatetags.response_tags import unpublished_tag
from tests.factories import make_entry

pytestmark = pytest.mark.django_db


def _tags(page: str, css_class: str) -> list[str]:
    """Each tag of that class on the page, whole (a symbol's span inside it included)."""
    inner = r"(?:<span[^>]*>[^<]*</span>)?[^<]*"
    return re.findall(rf'<span class="tag {css_class}">{inner}</span>', page)


@pytest.mark.parametrize("state", list(Response.State))
def test_a_response_is_tagged_unpublished_exactly_when_the_public_cannot_read_it(world, state):
    response = Response(board=world.board_a, round=world.round2, state=state)
    assert bool(unpublished_tag(response)) is (not response.is_public)


def test_every_page_tags_a_submitted_response_alike(client, world):
    submitted = Response.objects.create(
        board=world.board_a, round=world.round2, title="Inlämnat", state=Response.State.SUBMITTED
    )
    make_entry(submitted, world.rec1)
    client.force_login(world.auditor)
    expected = '<span class="tag tag-unpublished">inlämnat till revisionen</span>'
    pages = {
        # the timeline's axis and the answer itself
        world.rec1.get_absolute_url(): 2,
        world.audit.get_absolute_url(): 1,
        world.board_a.get_absolute_url(): 1,
    }
    for url, count in pages.items():
        page = client.get(url).content.decode()
        assert _tags(page, "tag-unpublished") == [expected] * count, url


def test_no_page_tags_a_published_response(client, world):
    for url in (
        world.rec1.get_absolute_url(),
        world.audit.get_absolute_url(),
        world.board_a.get_absolute_url(),
    ):
        assert "tag-unpublished" not in client.get(url).content.decode(), url


def test_a_recommendation_is_tagged_closed_exactly_when_it_is_closed(world):
    assert closed_tag(world.rec1) == closed_notice(world.rec1) == ""
    world.rec1.close(dt.date(2024, 3, 1), "Genomförd enligt revisionen.", world.auditor)
    assert world.rec1.is_closed
    assert "Avslutad 2024-03-01" in closed_tag(world.rec1)
    assert "avslutades 2024-03-01." in closed_notice(world.rec1)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_list_tags_a_closed_recommendation_alike(client, world, language):
    world.rec1.close(dt.date(2024, 3, 1), "Genomförd enligt revisionen.", world.auditor)
    client.get(reverse("choose_language"), {"language": language})
    with translation.override(language):
        expected = str(closed_tag(world.rec1))
    slug = world.municipality.slug
    for url in (
        reverse("municipal:recommendation_list", args=[slug]),
        world.audit.get_absolute_url(),
        world.board_a.get_absolute_url(),
        reverse("municipal:matrix", args=[slug]),
    ):
        page = client.get(url).content.decode()
        assert _tags(page, "tag-closed") == [expected], url


def test_a_closed_recommendations_pages_say_since_when_alike(client, world):
    world.rec1.close(dt.date(2024, 3, 1), "Genomförd enligt revisionen.", world.auditor)
    client.force_login(world.auditor)
    with translation.override("sv"):
        expected = str(closed_notice(world.rec1))
    for url in (world.rec1.get_absolute_url(), reverse("auditors:close", args=[world.rec1.pk])):
        page = client.get(url).content.decode()
        assert page.count(expected) == 1, url

"""Fragments several pages show (a response's unpublished tag, a closed recommendation's
tag, a board's standing, an overdue measure's flag) come from one tag each: the pages
agree with each other and with the model's rule they ask."""

import re

import pytest

from responses.models import Response
from responses.templatetags.response_tags import unpublished_tag
from tests.factories import make_entry

pytestmark = pytest.mark.django_db


def _tags(page: str, css_class: str) -> list[str]:
    return re.findall(rf'<span class="tag {css_class}">.*?</span>', page)


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

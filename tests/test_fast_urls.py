"""Object pages named by the hundred (``auditfollowup.lib.urls.reverse_fast``) get exactly
the URL Django's ``reverse()`` gives, whatever the prefix or the arguments."""

import pytest
from django.urls import (
    NoReverseMatch,
    reverse,
    set_script_prefix,
)

from auditfollowup.lib.urls import reverse_fast, reverser
from recommendations.models import Audit, Board, Municipality, Recommendation
from responses.models import Response

from .url_walk import walk_urls

SLUG = "malmo-stad"


def named_patterns_with_a_municipality_and_a_key():
    """Every page beneath a municipality that takes one key after the slug."""
    return [
        url.name
        for url in walk_urls(skip=())
        if url.name
        and url.route.startswith("<slug:municipality>/")
        and url.route.count("<") == 2
        and "<int:" in url.route
    ]


def test_every_object_page_beneath_a_municipality_gets_the_url_reverse_gives():
    names = named_patterns_with_a_municipality_and_a_key()
    assert "municipal:recommendation_detail" in names
    for name in names:
        for key in (1, 42, 1234567):
            assert reverse_fast(name, SLUG, key) == reverse(name, args=[SLUG, key])


def test_a_page_without_arguments_and_a_page_with_a_slug_only_get_their_urls():
    assert reverse_fast("recommendations:home") == reverse("recommendations:home")
    assert reverse_fast("municipal:home", SLUG) == reverse("municipal:home", args=[SLUG])


def test_a_second_call_with_other_arguments_does_not_reuse_the_first_url():
    first = reverse_fast("municipal:board_detail", "a-stad", 7)
    second = reverse_fast("municipal:board_detail", "b-kommun", 8)
    assert first == reverse("municipal:board_detail", args=["a-stad", 7])
    assert second == reverse("municipal:board_detail", args=["b-kommun", 8])


def test_an_argument_a_url_would_escape_goes_through_reverse():
    # Not a slug the municipal pages accept: reverse() itself refuses it, and so does
    # reverse_fast, rather than writing it into the URL unescaped.
    with pytest.raises(NoReverseMatch):
        reverse_fast("municipal:home", "malmö stad")


def test_the_script_prefix_of_a_site_served_beneath_a_path_is_kept():
    try:
        set_script_prefix("/uppfoljning/")
        assert reverse_fast("municipal:home", SLUG) == f"/uppfoljning/{SLUG}/"
    finally:
        set_script_prefix("/")
    assert reverse_fast("municipal:home", SLUG) == f"/{SLUG}/"


def test_a_reverser_for_a_loop_gives_each_object_the_url_reverse_gives():
    board_url = reverser("municipal:board_detail", 2)
    for slug, key in (("a-stad", 7), ("b-kommun", 8), (SLUG, 1234567)):
        assert board_url(slug, key) == reverse("municipal:board_detail", args=[slug, key])
    with pytest.raises(NoReverseMatch):
        board_url("malmö stad", 7)


def test_a_reverser_keeps_the_script_prefix_of_the_request_it_was_made_in():
    try:
        set_script_prefix("/uppfoljning/")
        home_url = reverser("municipal:home", 1)
    finally:
        set_script_prefix("/")
    assert home_url(SLUG) == f"/uppfoljning/{SLUG}/"


def test_a_models_url_for_each_gives_each_object_its_get_absolute_url():
    municipality = Municipality(slug=SLUG)
    audit = Audit(pk=42, municipality=municipality)
    board = Board(pk=7, municipality=municipality)
    objects = [
        board,
        audit,
        Recommendation(pk=1234567, audit=audit),
        Response(pk=89, board=board),
    ]
    for obj in objects:
        assert type(obj).url_for_each()(SLUG, obj.pk) == obj.get_absolute_url()

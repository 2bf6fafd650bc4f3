"""The interface is Swedish by default; English only when the visitor chooses it."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_site_is_swedish_even_for_an_english_browser(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert page.headers["Content-Language"] == "sv"
    assert '<html lang="sv">' in page.content.decode()


def test_choosing_english_switches_the_language_and_it_sticks(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = client.get("/")

    assert page.headers["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()


def test_an_unknown_language_in_the_cookie_falls_back_to_swedish(client):
    client.cookies["django_language"] = "xx"

    assert client.get("/").headers["Content-Language"] == "sv"


def test_the_language_switch_is_a_link_that_sets_the_cookie_and_returns_to_the_page(client):
    switched = client.get(reverse("choose_language"), {"language": "en", "next": "/matris/"})
    assert switched.status_code == 302 and switched.url == "/matris/"
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/matris/").text


def test_the_language_switch_never_sends_the_visitor_to_another_site(client):
    switched = client.get(
        reverse("choose_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert switched.url == "/"
    ignored = client.get(reverse("choose_language"), {"language": "xx", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in ignored.cookies


def test_in_english_the_documents_swedish_text_is_marked_swedish(client):
    """A screen reader in the English interface reads a recommendation, an answer and its
    summary as Swedish (WCAG 3.1.2), while the interface around them stays English."""
    from tests.factories import make_tracked_audit

    world = make_tracked_audit(n_recommendations=1)
    recommendation = world.recommendations[0]
    response = world.responses[0]
    response.summary = "Nämnden har påbörjat arbetet."
    response.save()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = client.get(recommendation.get_absolute_url(), follow=True).content.decode()
    answer = client.get(response.get_absolute_url(), follow=True).content.decode()

    assert '<html lang="en">' in page
    assert f'<blockquote class="wording" lang="sv"><p>{recommendation.text}' in page
    assert '<div class="narrative" lang="sv"><p>Vi planerar en arbetsgrupp' in page
    assert '<div lang="sv"><p>Nämnden har påbörjat arbetet.</p></div>' in answer
    assert '<div class="narrative" lang="sv"><p>Vi planerar en arbetsgrupp' in answer

"""The accessibility statement (tillgänglighetsredogörelse) and the footer link to it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_is_public_and_in_swedish(client):
    response = client.get(reverse("accessibility"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Tillgänglighet för Uppföljning</h1>" in html
    assert '<html lang="sv">' in html


def test_it_follows_the_digg_model(client):
    html = client.get(reverse("accessibility")).content.decode()

    for heading in (
        "Vad kan du göra om du inte kan använda delar av webbplatsen?",
        "Rapportera brister i webbplatsens tillgänglighet",
        "Tillsyn",
        "Teknisk information om webbplatsens tillgänglighet",
        "Innehåll som inte är tillgängligt",
        "Hur vi testat webbplatsen",
    ):
        assert f">{heading}</h" in html
    assert "lagen (2018:1937) om tillgänglighet till digital offentlig service" in html
    assert "delvis förenlig" in html
    assert "Myndigheten för digital förvaltning (DIGG)" in html
    assert 'href="https://www.digg.se/"' in html


def test_it_tells_how_to_report_a_problem(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@kommun.example"
    settings.ACCESSIBILITY_CONTACT_PHONE = "040-12 34 56"

    html = client.get(reverse("accessibility")).content.decode()

    assert 'href="mailto:tillganglighet@kommun.example?subject=' in html
    assert "Skicka en rapport om bristande tillgänglighet" in html
    assert 'href="tel:040123456"' in html


def test_every_page_links_to_it_from_the_footer(client):
    for url in (
        reverse("recommendations:home"),
        reverse("recommendations:recommendation_list"),
        reverse("accessibility"),
        reverse("login"),
    ):
        html = client.get(url).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert f'<a href="{reverse("accessibility")}">Tillgänglighetsredogörelse</a>' in footer


def test_it_refuses_to_be_posted_to(client):
    assert client.post(reverse("accessibility")).status_code == 405


def test_it_needs_no_database_query_for_a_visitor(client, django_assert_num_queries):
    """A static page: no query at all, whatever the data."""
    with django_assert_num_queries(0):
        client.get(reverse("accessibility"))

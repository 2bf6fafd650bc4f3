"""Error pages (400, 403, 404, 413, 500): in the site's layout, in Swedish or English, with
a way back; the 500 page renders even when the database is what failed."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from recommendations import overview
from recommendations.roles import AUDITOR_GROUP
from tests.factories import make_municipality, make_user

ENGLISH = {"django_language": "en"}


def english_client(**kwargs) -> Client:
    client = Client(**kwargs)
    client.cookies.load(ENGLISH)
    return client


def assert_site_layout(page):
    text = page.content.decode()
    assert 'class="site-header"' in text
    assert 'class="site-footer"' in text
    assert '<a href="/">' in text  # the way back


@pytest.mark.django_db
def test_a_missing_page_is_a_swedish_404_in_the_site_layout(client):
    page = client.get("/finns-inte/")
    assert page.status_code == 404
    assert_site_layout(page)
    assert "Sidan finns inte" in page.text
    assert reverse("recommendations:recommendation_list") in page.text


@pytest.mark.django_db
def test_the_404_page_is_in_english_for_a_visitor_who_chose_english():
    page = english_client().get("/finns-inte/")
    assert page.status_code == 404
    assert '<html lang="en">' in page.text
    assert "Page not found" in page.text
    assert "Back to the start page" in page.text


@pytest.mark.django_db
def test_a_refused_page_is_a_403_in_the_site_layout_in_both_languages():
    auditor = make_user(groups=[AUDITOR_GROUP])
    swedish = Client()
    swedish.force_login(auditor)
    page = swedish.get(reverse("responses:response_start"))
    assert page.status_code == 403
    assert_site_layout(page)
    assert "Du har inte behörighet till sidan" in page.text

    english = english_client()
    english.force_login(auditor)
    page = english.get(reverse("responses:response_start"))
    assert "You are not allowed to see this page" in page.text


@pytest.mark.django_db
def test_a_failing_page_is_a_500_in_the_site_layout(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(overview, "status_by_audit_and_board", fail)
    municipality = make_municipality()
    page = Client(raise_request_exception=False).get(
        reverse("municipal:home", args=[municipality.slug])
    )
    assert page.status_code == 500
    assert_site_layout(page)
    assert "Något gick fel hos oss" in page.text


def test_the_500_page_renders_without_the_database_in_swedish_and_english():
    # No django_db mark: any query while rendering would fail this test.
    request = RequestFactory().get("/")
    page = defaults.server_error(request)
    assert page.status_code == 500
    assert "Något gick fel hos oss" in page.content.decode()
    with translation.override("en"):
        page = defaults.server_error(request)
    assert "Something went wrong on our side" in page.content.decode()
    assert '<html lang="en">' in page.content.decode()


def test_the_400_page_renders_without_the_database():
    page = defaults.bad_request(RequestFactory().get("/"), Exception())
    assert page.status_code == 400
    assert "Förfrågan kunde inte behandlas" in page.content.decode()


@pytest.mark.django_db
def test_a_form_posted_without_its_security_token_is_a_swedish_403_in_the_site_layout():
    page = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x"})
    assert page.status_code == 403
    assert_site_layout(page)
    assert "Formuläret kunde inte skickas" in page.text

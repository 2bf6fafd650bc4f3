"""Every page names its icon, and the address browsers try on their own finds it: no 404."""

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse


def test_every_page_links_an_icon_that_exists(client, db):
    page = client.get(reverse("recommendations:home"), follow=True)
    icon = static("img/favicon.svg")
    assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in page.text
    assert finders.find("img/favicon.svg")


def test_the_admin_pages_link_the_icon_too(admin_client):
    assert static("img/favicon.svg") in admin_client.get(reverse("admin:index")).text


def test_favicon_ico_leads_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.svg")

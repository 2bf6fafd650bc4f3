"""Read-only CORS on the open data, so other web pages may read it; never on pages for people."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ORIGIN = "https://journalist.example"

OPEN_DATA = [
    ("recommendations:api_recommendations", ()),
    ("recommendations:openapi", ()),
    ("recommendations:recommendation_list_csv", ()),
    ("recommendations:recommendation_list_xlsx", ()),
    ("recommendations:recommendation_list_schema", ()),
    ("recommendations:matrix_csv", ()),
    ("recommendations:matrix_xlsx", ()),
    ("recommendations:response_feed", ()),
    ("recommendations:dcat_catalog", ()),
]


@pytest.fixture
def municipality(db):
    from tests.factories import make_municipality

    return make_municipality()


@pytest.mark.parametrize(("name", "args"), OPEN_DATA)
def test_any_web_page_may_read_the_open_data_without_credentials(client, municipality, name, args):
    answer = client.get(reverse(name, args=args), headers={"Origin": ORIGIN})
    assert answer.status_code == 200
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer


def test_a_preflight_allows_only_reading_methods(client):
    answer = client.options(
        reverse("recommendations:api_recommendations"),
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert set(answer["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/rekommendationer/",
        "/konto/login/",
        "/yttranden/nytt/",
        "/att-granska/",
        "/oppna-data/",
    ],
)
def test_pages_for_people_and_logged_in_pages_get_no_cors_headers(client, url):
    answer = client.get(url, headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in answer

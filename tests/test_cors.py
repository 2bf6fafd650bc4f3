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
    ("recommendations:measures_schema", ()),
    ("recommendations:timeline_schema", ()),
    ("recommendations:matrix_csv", ()),
    ("recommendations:matrix_xlsx", ()),
    ("recommendations:response_feed", ()),
    ("recommendations:dcat_catalog", ()),
    # A municipality's own addresses, which its DCAT catalogue lists as distributions.
    ("municipal:api_recommendations", ("malmo",)),
    ("municipal:recommendation_list_csv", ("malmo",)),
    ("municipal:recommendation_list_xlsx", ("malmo",)),
    ("municipal:matrix_csv", ("malmo",)),
    ("municipal:matrix_xlsx", ("malmo",)),
    ("municipal:response_feed", ("malmo",)),
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


def test_every_address_a_municipalitys_catalogue_lists_may_be_read_by_any_web_page(client):
    from rdflib import Graph
    from rdflib import namespace as ns

    from tests.factories import make_tracked_audit

    make_tracked_audit(n_recommendations=1)
    catalogue = client.get(reverse("recommendations:dcat_municipality_catalog", args=["malmo"]))
    graph = Graph().parse(data=catalogue.content, format="xml")
    listed = {
        str(url).removeprefix("http://testserver")
        for kind in (ns.DCAT.downloadURL, ns.DCAT.accessURL, ns.DCAT.endpointURL)
        for url in graph.objects(None, kind)
    }
    assert any(url.startswith("/malmo/") for url in listed)

    for url in sorted(listed):
        answer = client.get(url, headers={"Origin": ORIGIN})
        assert answer.status_code == 200, url
        assert answer.get("Access-Control-Allow-Origin") == "*", url


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
        "/malmo/",
        "/malmo/rekommendationer/",
        "/konto/login/",
        "/yttranden/nytt/",
        "/att-granska/",
        "/oppna-data/",
    ],
)
def test_pages_for_people_and_logged_in_pages_get_no_cors_headers(client, url):
    answer = client.get(url, headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in answer

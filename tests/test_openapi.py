"""The OpenAPI description of the JSON API and its documentation page."""

import pytest
from django.urls import reverse

from recommendations.api_schema import API_VERSION
from recommendations.filters import RecommendationFilter
from recommendations.status import Status
from tests.factories import make_tracked_audit

pytestmark = pytest.mark.django_db
URL = reverse("recommendations:openapi")


def _operation(document):
    return document["paths"][reverse("recommendations:api_recommendations")]["get"]


def test_it_serves_an_openapi_3_1_document_with_a_version(client):
    document = client.get(URL).json()
    assert document["openapi"] == "3.1.0"
    assert document["info"]["version"] == API_VERSION
    assert document["info"]["license"]["url"] == "http://creativecommons.org/licenses/by/4.0/"


def test_it_describes_every_filter_of_the_list_and_the_page(client):
    parameters = {p["name"]: p for p in _operation(client.get(URL).json())["parameters"]}
    assert set(parameters) == {*RecommendationFilter.base_filters, "page"}
    # An empty value means "no filter", as the list's own form sends it.
    assert parameters["status"]["schema"]["enum"] == [status.value for status in Status] + [""]
    assert parameters["overdue"]["schema"]["enum"] == ["true", "false", ""]
    (page, empty) = parameters["page"]["schema"]["anyOf"]
    assert page == {"type": "integer", "minimum": 1} and empty["const"] == ""
    (sort, _empty) = parameters["sort"]["schema"]["anyOf"]
    assert sort["items"]["enum"][:2] == ["audit", "-audit"]


def test_it_describes_the_error_answer_and_the_timeline(client):
    document = client.get(URL).json()
    schemas = document["components"]["schemas"]
    responses = _operation(document)["responses"]
    assert responses["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/Errors")
    assert set(schemas["Error"]["properties"]) == {"message", "code"}
    timeline = schemas["Recommendation"]["properties"]["timeline"]
    assert timeline["items"]["$ref"].endswith("/TimelineRound")
    assert set(schemas["TimelineRound"]["properties"]) == {"round", "assessment", "entries"}
    statuses = schemas["Status"]["oneOf"]
    assert {"const": "in_progress", "title": "Pågående"} in statuses


def test_it_says_where_each_municipalitys_own_api_is_and_how_it_answers_an_unknown_one(client):
    """A municipality's catalogue (/datasets/dcat/<kommun>/) names its own endpoint,
    /<kommun>/api/rekommendationer/, and this document as its description: the document
    says that address is there, what it takes and what an unknown municipality gets."""
    description = _operation(client.get(URL).json())["description"]

    assert "/{kommun}/api/rekommendationer/" in description
    assert "utom municipality" in description and "404" in description


def test_every_field_the_api_sends_is_described(client):
    make_tracked_audit(n_recommendations=1)
    document = client.get(URL).json()
    schemas = document["components"]["schemas"]
    (sent,) = client.get(reverse("recommendations:api_recommendations")).json()["results"]
    assert set(sent) == set(schemas["Recommendation"]["properties"])
    assert set(sent["measures"][0]) == set(schemas["Measure"]["properties"])
    assert set(sent["timeline"][0]["entries"][0]) == set(schemas["Entry"]["properties"])


def test_the_description_is_in_english_for_a_visitor_who_chose_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    document = client.get(URL).json()
    assert document["components"]["schemas"]["Board"]["properties"]["name"]["description"] == (
        "The board's name."
    )


def test_the_api_is_named_in_english_for_a_visitor_who_chose_english(client):
    """Its English title began with the Swedish "Uppföljning", where the site says
    "Follow-up" (the page /api/ shows it as its heading)."""
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get(URL).json()["info"]["title"] == (
        "Follow-up: the auditors' recommendations and the boards' answers"
    )


def test_the_documentation_page_shows_parameters_fields_and_the_error_answer(client):
    page = client.get(reverse("recommendations:api_documentation")).content.decode()
    page = page.replace("<wbr>", "")  # break opportunities in the paths, not text
    assert "GET /api/rekommendationer/" in page
    assert "<code>overdue</code>" in page
    assert "results[].timeline[].entries[].status_change" in page
    assert '"errors"' in page
    assert 'href="/api/openapi.json"' in page


def test_every_page_links_to_the_open_data_and_the_api_in_its_footer(client):
    page = client.get(reverse("recommendations:home"), follow=True).content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert 'href="/oppna-data/"' in footer and 'href="/api/"' in footer


def test_the_api_page_says_how_to_start_and_where_a_boards_id_is_found(client):
    """A journalist read "board: Nämnd. Anges med id." with no word of where an id is, and
    no example of a request."""
    page = client.get(reverse("recommendations:api_documentation")).content.decode()
    listing = reverse("recommendations:recommendation_list")
    assert (
        f'Enklast att börja: filtrera <a href="{listing}">listan över rekommendationerna</a>'
        in page
    )
    assert "Nämnd. Anges med id: talet i adressen till dess sida (…/namnder/3/ har id 3)." in page


def test_the_api_page_says_an_audits_id_is_found_in_the_address_of_the_audits_page(client):
    """The audit's parameter gave the board's page as its example ("…/namnder/3/"), so a
    reader looked for an audit's id among the boards."""
    page = client.get(reverse("recommendations:api_documentation")).content.decode()
    assert (
        "Granskning. Anges med id: talet i adressen till dess sida (…/granskningar/3/ har id 3)."
        in page
    )
    assert page.count("…/namnder/3/") == 1


def test_the_api_page_names_the_values_of_each_yes_or_no_parameter_and_no_year_twice(client):
    """overdue and closed named no value at all, so a reader could not tell "true" from
    "ja" or "1"; each year and round read "2019 – 2019"."""
    page = client.get(reverse("recommendations:api_documentation")).content.decode()
    rows = {row.split("</code>", 1)[0]: row for row in page.split('<tr><th scope="row"><code>')[1:]}
    for name in ("overdue", "closed"):
        assert "<li><code>true</code> – Ja</li><li><code>false</code> – Nej</li>" in rows[name]
    assert "<li><code>2019</code></li>" in rows["year"]
    assert "<li><code>1</code></li>" in rows["round"]
    assert "<li><code>in_progress</code> – Pågående</li>" in rows["status"]

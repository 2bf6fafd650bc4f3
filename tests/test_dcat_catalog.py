"""The DCAT-AP-SE catalogue for Sveriges dataportal, parsed with rdflib and validated with
pyshacl against tests/data/dcat-ap-se-shapes.ttl (a focused copy of the mandatory rules)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as ns

from recommendations.models import AuditorAssessment, Municipality, Recommendation
from recommendations.status import Status
from responses.models import Response
from tests.conftest import DATA
from tests.factories import make_board, make_municipality, make_response, make_tracked_audit

pytestmark = pytest.mark.django_db
URL = reverse("recommendations:dcat_catalog")
LICENSE = URIRef("http://creativecommons.org/licenses/by/4.0/")


def _catalog(client, url=URL):
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/rdf+xml")
    return Graph().parse(data=answer.content, format="xml")


def test_it_is_valid_against_the_mandatory_dcat_ap_se_shapes(client):
    make_tracked_audit(n_recommendations=1)
    shapes = Graph().parse(DATA / "dcat-ap-se-shapes.ttl", format="turtle")
    conforms, _graph, report = validate(_catalog(client), shacl_graph=shapes)
    assert conforms, report


def test_it_has_three_datasets_with_distributions_pointing_at_the_real_exports(client):
    make_tracked_audit(n_recommendations=1)
    graph = _catalog(client)
    catalog = URIRef("http://testserver/datasets/dcat")
    datasets = set(graph.objects(catalog, ns.DCAT.dataset))
    assert {str(d).rsplit("#", 1)[1] for d in datasets} == {
        "recommendations",
        "responses",
        "measures",
    }
    downloads = {str(url) for url in graph.objects(None, ns.DCAT.downloadURL)}
    assert "http://testserver/rekommendationer/export.csv" in downloads
    assert "http://testserver/rekommendationer/export.xlsx" in downloads
    access = {str(url) for url in graph.objects(None, ns.DCAT.accessURL)}
    assert {
        "http://testserver/api/rekommendationer/",
        "http://testserver/flode/yttranden/",
    } <= access
    for distribution in graph.subjects(ns.RDF.type, ns.DCAT.Distribution):
        assert list(graph.objects(distribution, ns.DCTERMS.license)) == [LICENSE]
        for url in graph.objects(distribution, ns.DCAT.accessURL):
            assert client.get(str(url).removeprefix("http://testserver")).status_code == 200


@pytest.mark.parametrize(
    "url", [URL, reverse("recommendations:dcat_municipality_catalog", args=["lund"])]
)
def test_the_xlsx_of_the_list_conforms_to_a_table_schema_for_each_of_its_sheets(client, url):
    make_municipality(name="Lunds kommun", slug="lund")
    graph = _catalog(client, url)
    (xlsx,) = [
        distribution
        for distribution in graph.subjects(ns.RDF.type, ns.DCAT.Distribution)
        if str(distribution).endswith("#recommendations-xlsx")
    ]
    schemas = sorted(str(schema) for schema in graph.objects(xlsx, ns.DCTERMS.conformsTo))
    assert schemas == [
        "http://testserver/rekommendationer/export-atgarder.schema.json",
        "http://testserver/rekommendationer/export-tidslinje.schema.json",
        "http://testserver/rekommendationer/export.schema.json",
    ]
    for schema in schemas:
        answer = client.get(schema.removeprefix("http://testserver"))
        assert answer.status_code == 200 and answer.json()["fields"]


def test_the_api_is_a_data_service_described_by_the_openapi_document(client):
    make_municipality()
    graph = _catalog(client)
    (service,) = graph.subjects(ns.RDF.type, ns.DCAT.DataService)
    assert graph.value(service, ns.DCAT.endpointDescription) == URIRef(
        "http://testserver/api/openapi.json"
    )
    assert graph.value(service, ns.DCAT.endpointURL) == URIRef(
        "http://testserver/api/rekommendationer/"
    )


def test_the_main_resources_are_absolute_iris_and_the_publisher_comes_from_the_organisation_number(
    client,
):
    make_municipality()
    graph = _catalog(client)
    for kind in (ns.DCAT.Catalog, ns.DCAT.Dataset, ns.DCAT.Distribution, ns.DCAT.DataService):
        for subject in graph.subjects(ns.RDF.type, kind):
            assert not isinstance(subject, BNode)
            assert str(subject).startswith("http://testserver/")
    publishers = set(graph.objects(None, ns.DCTERMS.publisher))
    assert publishers == {URIRef("http://dataportal.se/organisation/SE2120001124")}


def test_titles_and_descriptions_are_in_swedish_and_english(client):
    make_municipality()
    graph = _catalog(client)
    for subject in graph.subjects(ns.RDF.type, ns.DCAT.Dataset):
        for predicate in (ns.DCTERMS.title, ns.DCTERMS.description):
            values = {value.language: str(value) for value in graph.objects(subject, predicate)}
            assert set(values) == {"sv", "en"}
            assert values["sv"] != values["en"]


def test_its_modified_date_is_the_latest_published_response(client):
    world = make_tracked_audit(n_recommendations=1)
    later = dt.datetime(2031, 5, 4, 12, tzinfo=dt.UTC)
    Response.objects.filter(pk=world.responses[0].pk).update(published_at=later)
    graph = _catalog(client)
    modified = graph.value(URIRef("http://testserver/datasets/dcat"), ns.DCTERMS.modified)
    assert modified == Literal(dt.date(2031, 5, 4))


def test_an_assessment_or_a_closing_after_the_last_response_moves_its_modified_date(client):
    """The recommendations' dataset carries the auditors' assessments and closings: one
    recorded after the last response changed the data the catalogue describes (as it
    makes the cached public pages stale), so a harvester must see a newer date."""
    world = make_tracked_audit(n_recommendations=1)
    recommendation = world.recommendations[0]
    dataset = URIRef("http://testserver/datasets/dcat")

    def modified():
        return _catalog(client).value(dataset, ns.DCTERMS.modified)

    def dated(history, day):
        """The change just recorded in ``history``, as if made on ``day``."""
        latest = history.latest("history_date")
        history.filter(pk=latest.pk).update(
            history_date=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        )

    AuditorAssessment.record(
        recommendation=recommendation,
        round=world.rounds[0],
        status=Status.IN_PROGRESS,
        comment="",
        user=None,
    )
    dated(AuditorAssessment.history.all(), dt.date(2031, 5, 4))
    assert modified() == Literal(dt.date(2031, 5, 4))
    recommendation.close(dt.date(2026, 1, 10), "Ersatt av ny styrmodell.", None)
    dated(Recommendation.history.all(), dt.date(2032, 2, 1))
    assert modified() == Literal(dt.date(2032, 2, 1))


def test_the_sites_catalogue_is_as_new_as_the_newest_data_of_any_municipality(client):
    """``/datasets/dcat`` is published by the first municipality but its distributions are
    the whole country's files: an answer published in another municipality changes them,
    so its date moves; that municipality's own catalogue moves with it, the first one's
    does not."""
    make_tracked_audit(n_recommendations=1)
    lund = make_municipality(name="Lunds kommun", slug="lund", organisation_number="212000-1173")
    board = make_board(short_code="KS", name="Kommunstyrelsen", municipality=lund)
    later = dt.datetime(2031, 5, 4, 12, tzinfo=dt.UTC)
    make_response(board=board, published_at=later)
    Response.history.filter(board=board).update(history_date=later)

    def modified(url):
        return _catalog(client, url).value(URIRef(f"http://testserver{url}"), ns.DCTERMS.modified)

    def own(slug):
        return reverse("recommendations:dcat_municipality_catalog", args=[slug])

    assert modified(URL) == Literal(dt.date(2031, 5, 4))
    assert modified(own("lund")) == Literal(dt.date(2031, 5, 4))
    assert modified(own("malmo")) != Literal(dt.date(2031, 5, 4))


def test_each_municipality_has_its_own_catalogue(client):
    make_tracked_audit(n_recommendations=1)
    other = make_municipality(name="Lunds kommun", slug="lund", organisation_number="212000-1173")
    url = reverse("recommendations:dcat_municipality_catalog", args=[other.slug])
    graph = _catalog(client, url)
    catalog = URIRef(f"http://testserver{url}")
    assert graph.value(catalog, ns.DCTERMS.publisher) == URIRef(
        "http://dataportal.se/organisation/SE2120001173"
    )
    # Lund has published nothing yet.
    assert graph.value(catalog, ns.DCTERMS.modified) is None
    missing = reverse("recommendations:dcat_municipality_catalog", args=["finns-inte"])
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize("number", ["2120001124", "212000-112", "212000-1125", "ABCDEF-GHIJ"])
def test_an_organisation_number_must_be_a_valid_swedish_one(number):
    municipality = Municipality(name="Testkommun", slug="test", organisation_number=number)
    with pytest.raises(ValidationError) as error:
        municipality.full_clean()
    assert "organisation_number" in error.value.message_dict


def test_malmo_stad_has_its_organisation_number_in_the_seed_fixture(client):
    from django.core.management import call_command

    call_command("import_fixtures", "fixtures/", verbosity=0)
    assert Municipality.objects.get(slug="malmo-stad").organisation_number == "212000-1124"


def test_a_municipalitys_catalogue_points_at_its_own_exports_and_api(client):
    make_tracked_audit(n_recommendations=1)
    other = make_municipality(name="Lunds kommun", slug="lund", organisation_number="212000-1173")
    graph = _catalog(client, reverse("recommendations:dcat_municipality_catalog", args=["lund"]))

    downloads = {str(url) for url in graph.objects(None, ns.DCAT.downloadURL)}
    endpoints = {str(url) for url in graph.objects(None, ns.DCAT.endpointURL)}
    assert f"http://testserver/{other.slug}/rekommendationer/export.csv" in downloads
    assert endpoints == {f"http://testserver/{other.slug}/api/rekommendationer/"}
    # The OpenAPI document stays the one national description of the API.
    descriptions = {str(url) for url in graph.objects(None, ns.DCAT.endpointDescription)}
    assert descriptions == {"http://testserver/api/openapi.json"}


def test_a_control_character_in_a_municipalitys_name_keeps_the_catalogue_readable(client):
    make_tracked_audit(n_recommendations=1)
    Municipality.objects.update(name="Malmö\x0bstad")

    names = {str(o) for o in _catalog(client).objects(predicate=ns.FOAF.name)}

    assert names == {"Malmö\nstad"}

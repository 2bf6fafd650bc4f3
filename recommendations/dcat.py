"""The DCAT-AP-SE 3.0.1 catalogue of the open data, in RDF/XML, for Sveriges dataportal.

Three datasets (recommendations with their timelines, responses, measures), their
distributions (CSV, xlsx, the JSON API, the Atom feed) and the JSON API as a data service
whose endpoint description is the OpenAPI document. Every IRI is absolute; the catalogue,
datasets, distributions and publisher are never blank nodes. Titles and descriptions are
given in Swedish and English, translated from the Swedish msgids.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from auditfollowup.lib.text import without_control_characters
from responses.models import Response, response_visibility

from . import tenancy
from .models import AuditorAssessment, Recommendation
from .openapi import LICENSE_URL

EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPE = Namespace(EU + "file-type/")
LANGUAGE = Namespace(EU + "language/")
ADMS_PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
MEDIA_TYPE = Namespace("https://www.iana.org/assignments/media-types/")
LANGUAGES = ("sv", "en")


def publisher_iri(municipality, base: str) -> URIRef:
    """The publisher's IRI: Sveriges dataportal names organisations by organisation number.

    Without a number (synthetic data), an IRI on this site stands in, still never blank.
    """
    if municipality.organisation_number:
        digits = municipality.organisation_number.replace("-", "")
        return URIRef(f"http://dataportal.se/organisation/SE{digits}")
    return URIRef(f"{base}datasets/dcat/{municipality.slug}/#publisher")


def last_modified(municipality=None) -> dt.datetime | None:
    """When the open data last changed: the latest publication or correction of a
    response, and the latest change the public reads of a recommendation (its wording, a
    closing) or of the auditors' assessment of it, which the recommendations' dataset
    carries. Four queries, whatever the size."""
    published = Response.objects.visible_to(AnonymousUser())
    # Versions of responses the public could read (corrections after publishing): the
    # same read rule, on the stored versions.
    changes = [
        Response.history.filter(response_visibility(AnonymousUser())),
        # Recommendations and assessments are public whatever their state.
        Recommendation.history.all(),
        AuditorAssessment.history.all(),
    ]
    if municipality is not None:
        published = published.in_municipality(municipality)
        changes = [
            history.filter(**{tenancy.path_of(history.model): municipality}) for history in changes
        ]
    dates = [
        published.aggregate(latest=Max("published_at"))["latest"],
        *(history.aggregate(latest=Max("history_date"))["latest"] for history in changes),
    ]
    dates = [date for date in dates if date]
    return max(dates) if dates else None


@dataclass(frozen=True)
class Distribution:
    key: str
    url_name: str
    file_type: str
    media_type: str
    title: str
    download: bool = True
    # The Table Schemas its tables conform to: the CSV's, or one per sheet of the xlsx.
    schema_url_names: tuple = ()


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    description: str
    keywords: tuple
    distributions: tuple


CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON = "application/json"
ATOM = "application/atom+xml"

API_DISTRIBUTION = Distribution(
    "json",
    "recommendations:api_recommendations",
    "JSON",
    JSON,
    _("JSON-API med tidslinjer"),
    download=False,
)

DATASETS = (
    Dataset(
        "recommendations",
        _("Revisionens rekommendationer med tidslinjer"),
        _(
            "Revisionens rekommendationer till nämnderna, med nämndernas status och "
            "revisionens bedömning i varje uppföljningsomgång."
        ),
        (_("revision"), _("rekommendationer"), _("uppföljning")),
        (
            Distribution(
                "csv",
                "recommendations:recommendation_list_csv",
                "CSV",
                CSV,
                _("Rekommendationerna som CSV"),
                schema_url_names=("recommendations:recommendation_list_schema",),
            ),
            Distribution(
                "xlsx",
                "recommendations:recommendation_list_xlsx",
                "XLSX",
                XLSX,
                _("Rekommendationerna som Excel"),
                schema_url_names=(
                    "recommendations:recommendation_list_schema",
                    "recommendations:measures_schema",
                    "recommendations:timeline_schema",
                ),
            ),
            Distribution(
                "matrix-csv",
                "recommendations:matrix_csv",
                "CSV",
                CSV,
                _("Matrisen, status per år, som CSV"),
                schema_url_names=("recommendations:matrix_schema",),
            ),
            Distribution(
                "matrix-xlsx",
                "recommendations:matrix_xlsx",
                "XLSX",
                XLSX,
                _("Matrisen, status per år, som Excel"),
                schema_url_names=("recommendations:matrix_schema",),
            ),
            API_DISTRIBUTION,
        ),
    ),
    Dataset(
        "responses",
        _("Nämndernas yttranden"),
        _("Nämndernas publicerade yttranden och svar på revisionens rekommendationer."),
        (_("yttranden"), _("nämnder")),
        (
            Distribution(
                "atom",
                "recommendations:response_feed",
                "ATOM",
                ATOM,
                _("Flöde med nya yttranden (Atom)"),
                download=False,
            ),
            API_DISTRIBUTION,
        ),
    ),
    Dataset(
        "measures",
        _("Nämndernas åtgärder"),
        _(
            "Åtgärder som nämnderna har aviserat, med ansvarig, status, tidpunkt, "
            "flyttade tidpunkter och om de är försenade."
        ),
        (_("åtgärder"), _("uppföljning")),
        (API_DISTRIBUTION,),
    ),
)


class CatalogBuilder:
    def __init__(self, request, municipality, own_addresses=False):
        self.request = request
        self.municipality = municipality
        # Typed by an admin: without what XML cannot hold (one such character made the
        # whole catalogue unreadable).
        self.name = without_control_characters(municipality.name)
        # A municipality's own catalogue points at its own pages, exports and API.
        self.own_addresses = own_addresses
        # Whose data the distributions hold: the municipality's on its own addresses,
        # every municipality's on the national ones (the site's catalogue, though the
        # first municipality publishes it).
        self.data_of = municipality if own_addresses else None
        self.base = request.build_absolute_uri("/")
        self.graph = Graph()
        for prefix, namespace in (("dcat", DCAT), ("dcterms", DCTERMS), ("foaf", FOAF)):
            self.graph.bind(prefix, namespace)
        self.graph.bind("vcard", VCARD)

    def url(self, name, *args) -> URIRef:
        """The address of the page ``name``: the municipality's own where it has one."""
        if self.own_addresses:
            try:
                own = reverse(
                    f"municipal:{name.split(':')[-1]}", args=[self.municipality.slug, *args]
                )
                return URIRef(self.request.build_absolute_uri(own))
            except NoReverseMatch:
                pass  # a national page (the OpenAPI document, the field dictionary)
        return URIRef(self.request.build_absolute_uri(reverse(name, args=args)))

    def add(self, subject, predicate, obj):
        self.graph.add((subject, predicate, obj))

    def texts(self, subject, predicate, text, **params):
        """The text in Swedish and in English, each with its xml:lang."""
        for language in LANGUAGES:
            with translation.override(language):
                value = str(text) % params if params else str(text)
                self.add(subject, predicate, Literal(value, lang=language))

    def build(self, catalog: URIRef) -> Graph:
        modified = last_modified(self.data_of)
        publisher = self.publisher()
        license_ = URIRef(LICENSE_URL)
        add = self.add
        add(catalog, RDF.type, DCAT.Catalog)
        self.texts(
            catalog,
            DCTERMS.title,
            _("Öppna data om uppföljning av revisionens rekommendationer: %(name)s"),
            name=self.name,
        )
        self.texts(
            catalog,
            DCTERMS.description,
            _(
                "Revisionens rekommendationer, nämndernas yttranden och åtgärder, och hur de "
                "följts upp omgång för omgång."
            ),
        )
        add(catalog, DCTERMS.publisher, publisher)
        add(catalog, DCTERMS.license, license_)
        add(catalog, FOAF.homepage, URIRef(self.base))
        for language in ("SWE", "ENG"):
            add(catalog, DCTERMS.language, LANGUAGE[language])
        if modified:
            add(catalog, DCTERMS.modified, self.date(modified))

        service = URIRef(f"{catalog}#api")
        datasets = []
        for spec in DATASETS:
            dataset = URIRef(f"{catalog}#{spec.key}")
            datasets.append(dataset)
            add(catalog, DCAT.dataset, dataset)
            self.dataset(dataset, spec, publisher, modified, service, catalog)
        add(catalog, DCAT.service, service)
        self.service(service, publisher, datasets)
        return self.graph

    def date(self, value):
        return Literal(timezone.localtime(value).date().isoformat(), datatype=XSD.date)

    def publisher(self) -> URIRef:
        publisher = publisher_iri(self.municipality, self.base)
        self.add(publisher, RDF.type, FOAF.Organization)
        self.add(publisher, RDF.type, FOAF.Agent)
        self.add(
            publisher,
            FOAF.name,
            Literal(self.name, lang="sv"),
        )
        self.add(publisher, DCTERMS.type, ADMS_PUBLISHER_TYPE.LocalAuthority)
        if self.municipality.organisation_number:
            self.add(publisher, DCTERMS.identifier, Literal(self.municipality.organisation_number))
        return publisher

    def contact_point(self):
        # A contact point may be a blank node in DCAT-AP-SE; only the main resources may not.
        contact = BNode()
        self.add(contact, RDF.type, VCARD.Organization)
        self.add(
            contact,
            VCARD.fn,
            Literal(self.name, lang="sv"),
        )
        self.add(contact, VCARD.hasEmail, URIRef(f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}"))
        return contact

    def dataset(self, dataset, spec, publisher, modified, service, catalog):
        add = self.add
        add(dataset, RDF.type, DCAT.Dataset)
        self.texts(dataset, DCTERMS.title, spec.title)
        self.texts(dataset, DCTERMS.description, spec.description)
        for keyword in spec.keywords:
            self.texts(dataset, DCAT.keyword, keyword)
        add(dataset, DCTERMS.publisher, publisher)
        add(dataset, DCAT.contactPoint, self.contact_point())
        add(dataset, DCAT.theme, URIRef(EU + "data-theme/GOVE"))
        add(dataset, DCTERMS.accessRights, URIRef(EU + "access-right/PUBLIC"))
        add(dataset, DCAT.landingPage, self.url("recommendations:open_data"))
        if modified:
            add(dataset, DCTERMS.modified, self.date(modified))
        for spec_distribution in spec.distributions:
            distribution = URIRef(f"{catalog}#{spec.key}-{spec_distribution.key}")
            add(dataset, DCAT.distribution, distribution)
            self.distribution(distribution, spec_distribution, service)

    def distribution(self, distribution, spec, service):
        add = self.add
        url = self.url(spec.url_name)
        add(distribution, RDF.type, DCAT.Distribution)
        self.texts(distribution, DCTERMS.title, spec.title)
        add(distribution, DCAT.accessURL, url)
        if spec.download:
            add(distribution, DCAT.downloadURL, url)
        add(distribution, DCTERMS.license, URIRef(LICENSE_URL))
        add(distribution, DCTERMS.format, FILE_TYPE[spec.file_type])
        add(distribution, DCAT.mediaType, MEDIA_TYPE[spec.media_type])
        for schema_url_name in spec.schema_url_names:
            add(distribution, DCTERMS.conformsTo, self.url(schema_url_name))
        if spec.url_name == API_DISTRIBUTION.url_name:
            add(distribution, DCAT.accessService, service)

    def service(self, service, publisher, datasets):
        add = self.add
        add(service, RDF.type, DCAT.DataService)
        self.texts(service, DCTERMS.title, _("JSON-API för rekommendationer med tidslinjer"))
        self.texts(
            service,
            DCTERMS.description,
            _("Läsbart API med samma filter som webbplatsens lista, beskrivet med OpenAPI 3.1."),
        )
        add(service, DCAT.endpointURL, self.url("recommendations:api_recommendations"))
        add(service, DCAT.endpointDescription, self.url("recommendations:openapi"))
        add(service, DCTERMS.publisher, publisher)
        add(service, DCTERMS.license, URIRef(LICENSE_URL))
        add(service, DCTERMS.accessRights, URIRef(EU + "access-right/PUBLIC"))
        for dataset in datasets:
            add(service, DCAT.servesDataset, dataset)


def catalog_xml(request, municipality, catalog_iri: str, own_addresses=False) -> str:
    graph = CatalogBuilder(request, municipality, own_addresses).build(URIRef(catalog_iri))
    return graph.serialize(format="pretty-xml")

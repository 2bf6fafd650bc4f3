"""Open data pages: the field dictionary, the Table Schemas beside the CSV files and the
DCAT-AP-SE catalogue. All public: they describe only what is published."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .api_schema import API_VERSION
from .dcat import catalog_xml
from .dictionary import api_fields, table_schema
from .exports import (
    LIST_COLUMNS,
    MEASURE_COLUMNS,
    MEASURES_SHEET,
    TIMELINE_COLUMNS,
    TIMELINE_SHEET,
    matrix_columns,
)
from .models import Municipality
from .roles import Public, access
from .status import Status


def list_schema():
    return table_schema(
        LIST_COLUMNS, title=_("Rekommendationer"), primary_key=LIST_COLUMNS[0].header
    )


def matrix_schema():
    return table_schema(matrix_columns(), title=_("Matris"))


# The list's xlsx has, after the list itself (``list_schema``), a sheet of the measures and
# one of the answers: a Table Schema each, titled with the sheet's name.
def measures_schema():
    return table_schema(
        MEASURE_COLUMNS,
        title=MEASURES_SHEET,
        description=_(
            "Bladet Åtgärder i rekommendationernas Excel-fil: en rad per åtgärd och "
            "rekommendation som den hör till, med hur åtgärden står i dag. Ett värde som "
            "börjar med = + - eller @ har en apostrof först, så att kalkylprogram inte "
            "tolkar det som en formel."
        ),
    )


def timeline_schema():
    return table_schema(
        TIMELINE_COLUMNS,
        title=TIMELINE_SHEET,
        description=_(
            "Bladet Tidslinje i rekommendationernas Excel-fil: en rad per svar på en "
            "rekommendation, omgång för omgång, aldrig ett utkast. Ett värde som börjar "
            "med = + - eller @ har en apostrof först, så att kalkylprogram inte tolkar "
            "det som en formel."
        ),
    )


@access(Public)
@require_safe
def open_data(request):
    return render(
        request,
        "recommendations/open_data/open_data.html",
        {
            "statuses": list(Status),
            "list_schema": list_schema(),
            "matrix_schema": matrix_schema(),
            "measures_schema": measures_schema(),
            "timeline_schema": timeline_schema(),
            "api_fields": api_fields(),
            "version": API_VERSION,
        },
    )


def _schema_json(schema):
    return JsonResponse(
        schema,
        content_type="application/schema+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@access(Public)
@require_safe
def recommendation_list_schema(request):
    return _schema_json(list_schema())


@access(Public)
@require_safe
def matrix_table_schema(request):
    return _schema_json(matrix_schema())


@access(Public)
@require_safe
def measures_table_schema(request):
    return _schema_json(measures_schema())


@access(Public)
@require_safe
def timeline_table_schema(request):
    return _schema_json(timeline_schema())


def _catalog(request, municipality, own_addresses=False):
    catalog_iri = request.build_absolute_uri(request.path)
    xml = catalog_xml(request, municipality, catalog_iri, own_addresses)
    return HttpResponse(xml, content_type="application/rdf+xml; charset=utf-8")


@access(Public)
@require_safe
def dcat_catalog(request):
    """The site's catalogue, published by its (first) municipality; dataportal.se harvests it."""
    municipality = Municipality.objects.order_by("pk").first()
    if municipality is None:
        raise Http404(_("Det finns ingen kommun ännu."))
    return _catalog(request, municipality)


@access(Public)
@require_safe
def dcat_municipality_catalog(request, slug):
    return _catalog(request, get_object_or_404(Municipality, slug=slug), own_addresses=True)

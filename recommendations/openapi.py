"""The OpenAPI 3.1 description of the JSON API, assembled from the code that answers.

* Response bodies: the JSON schemas of the pydantic models the API builds its JSON with
  (``api_schema.py``).
* Query parameters: the API's FilterSet (``RecommendationFilter``) and its page form, read
  filter by filter, so a new filter or choice appears here by itself.

The document is generated in the visitor's language (Swedish unless English was chosen):
every ``title`` and ``description`` is a Swedish msgid translated on the way out.
"""

from dataclasses import dataclass, field
from functools import lru_cache

import django_filters
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from .api_schema import API_VERSION, ErrorsOut, RecommendationPage
from .filters import RecommendationFilter

LICENSE_URL = "http://creativecommons.org/licenses/by/4.0/"
COMPONENTS = "#/components/schemas/"


class TranslatedJsonSchema(GenerateJsonSchema):
    """Pydantic's JSON schema, with Django's choices as labelled vocabularies."""

    def field_title_should_be_set(self, schema) -> bool:
        # Field titles would only repeat the field's name ("Short Code").
        return False

    def enum_schema(self, schema):
        enum = schema["cls"]
        if not issubclass(enum, models.Choices):
            return super().enum_schema(schema)
        # Each value with its Swedish label as title: the vocabulary, readable by people too.
        return {
            "type": "string",
            "oneOf": [{"const": member.value, "title": str(member.label)} for member in enum],
        }


def _translate(node):
    """Translate every description (msgid) in a JSON schema tree."""
    if isinstance(node, dict):
        return {
            key: gettext(value)
            if key == "description" and isinstance(value, str)
            else _translate(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_translate(item) for item in node]
    return node


def _component_name(name: str) -> str:
    # The models are named after what they build ("RecommendationOut"); clients see
    # "Recommendation". Django's nested choices ("Kind") get pydantic's module-qualified
    # names when they clash; the owning class names them ("RecommendationKind").
    name = name.removesuffix("Out")
    if "__" in name:
        *_path, owner, choices = name.split("__")
        return owner + choices
    return name


def component_schemas() -> dict:
    _keys, top = models_json_schema(
        [(RecommendationPage, "serialization"), (ErrorsOut, "serialization")],
        ref_template="{model}",
        schema_generator=TranslatedJsonSchema,
    )
    schemas = {_component_name(name): schema for name, schema in top["$defs"].items()}
    return _translate(_rename_refs(schemas))


def _rename_refs(node):
    if isinstance(node, dict):
        return {
            key: COMPONENTS + _component_name(value) if key == "$ref" else _rename_refs(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rename_refs(item) for item in node]
    return node


def _or_empty(schema):
    """An empty value means "no filter", as the list's form sends it: allowed, and said so."""
    if schema.get("type") == "string" and "enum" in schema:
        return {**schema, "enum": [*schema["enum"], ""]}
    if schema.get("type") == "string":
        return schema
    return {"anyOf": [schema, {"type": "string", "const": ""}]}


def _choices(filter_) -> list:
    """A choice filter's choices; the years' are asked for (they end with this year). A
    yes/no filter's are its form's ("true" – "Ja", "false" – "Nej"): without them the page
    named no value for overdue or closed."""
    if isinstance(filter_, django_filters.BooleanFilter):
        return filter_.extra["widget"].choices
    choices = getattr(filter_, "extra", {}).get("choices") or []
    return choices() if callable(choices) else choices


def _filter_schema(name, filter_):
    """The JSON schema of one query parameter, from its django-filter filter."""
    if isinstance(filter_, django_filters.OrderingFilter):
        values = [value for value, _label in filter_.field.choices if value]
        return {"type": "array", "items": {"type": "string", "enum": values}}, False
    if isinstance(filter_, django_filters.ModelChoiceFilter):
        if filter_.extra.get("to_field_name") == "slug":
            return {"type": "string"}, True
        return {"type": "integer", "minimum": 1}, True
    if isinstance(filter_, django_filters.TypedChoiceFilter):
        coerce = filter_.extra.get("coerce", str)
        values = [coerce(value) for value, _label in _choices(filter_) if value != ""]
        kind = "integer" if coerce is int else "string"
        return {"type": kind, "enum": values}, True
    if isinstance(filter_, django_filters.ChoiceFilter):
        values = [value for value, _label in _choices(filter_) if value != ""]
        return {"type": "string", "enum": values}, True
    if isinstance(filter_, django_filters.BooleanFilter):
        return {"type": "string", "enum": ["true", "false"]}, True
    if isinstance(filter_, django_filters.CharFilter):
        return {"type": "string"}, True
    raise TypeError(
        f"Describe the filter {name} ({type(filter_).__name__}) in the OpenAPI document."
    )


@dataclass
class Parameter:
    name: str
    description: str
    schema: dict
    kind: str  # the JSON type of a value, for the documentation page
    explode: bool = True
    vocabulary: list = field(default_factory=list)

    def as_openapi(self) -> dict:
        parameter = {
            "name": self.name,
            "in": "query",
            "required": False,
            "description": self.description,
            "schema": self.schema,
        }
        if not self.explode:
            parameter.update(style="form", explode=False)
        return parameter


# The page of the object each filter by id names: its address ends in the id. The audit's
# example had said "…/namnder/3/", a board's page.
_PAGE_OF = {"board": "municipal:board_detail", "audit": "municipal:audit_detail"}


def _page_with_id_3(name: str) -> str:
    """The end of the address of the page of object 3 that filter ``name`` asks for:
    "namnder/3/", "granskningar/3/"."""
    address = reverse(_PAGE_OF[name], kwargs={"municipality": "kommun", "pk": 3})
    return address.removeprefix("/kommun/")


def parameters() -> list[Parameter]:
    """The API's query parameters: every filter of the list, then the page."""
    result = []
    for name, filter_ in RecommendationFilter.base_filters.items():
        schema, explode = _filter_schema(name, filter_)
        choices = _choices(filter_)
        if isinstance(filter_, django_filters.OrderingFilter):
            choices = filter_.field.choices
        description = [str(filter_.label) + "."]
        if not explode:
            description.append(
                str(_("Flera värden skiljs med kommatecken; - före ett värde vänder ordningen."))
            )
        if isinstance(filter_, django_filters.ModelChoiceFilter):
            if filter_.extra.get("to_field_name") == "slug":
                description.append(str(_("Anges med kortnamnet i kommunens adress.")))
            else:
                description.append(
                    str(_("Anges med id: talet i adressen till dess sida (…/%(page)s har id 3)."))
                    % {"page": _page_with_id_3(name)}
                )
        if isinstance(filter_, django_filters.CharFilter):
            description.append(
                str(_("På PostgreSQL fritextsökning (webbsöksyntax), annars delsträngar."))
            )
        description.append(str(_("Tomt värde: inget filter.")))
        result.append(
            Parameter(
                name=name,
                description=" ".join(description),
                schema=_or_empty(schema),
                kind=schema["type"],
                explode=explode,
                # A label that only repeats its value (a year, a round's number) is left out.
                vocabulary=[
                    (value, "" if str(label) == str(value) else str(label))
                    for value, label in choices
                    if value != ""
                ],
            )
        )
    result.append(
        Parameter(
            name="page",
            description=str(_("Sidans nummer, från 1. En sida efter den sista ger fel 400.")),
            schema=_or_empty({"type": "integer", "minimum": 1}),
            kind="integer",
        )
    )
    return result


def _document(language: str) -> dict:
    list_path = reverse("recommendations:api_recommendations")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": str(_("Uppföljning: revisionens rekommendationer och nämndernas svar")),
            "version": API_VERSION,
            "summary": str(_("Öppna data om rekommendationer, svar, åtgärder och tidslinjer.")),
            "description": str(
                _(
                    "Läsbart API utan inloggning. Allmänheten ser bara publicerade svar. "
                    "Inom en huvudversion tas inga fält eller parametrar bort och inga "
                    "betydelser ändras; nya fält och värden kan tillkomma."
                )
            ),
            "license": {"name": "CC BY 4.0", "url": LICENSE_URL},
        },
        "servers": [{"url": "/"}],
        "paths": {
            list_path: {
                "get": {
                    "operationId": "listRecommendations",
                    "summary": str(_("Rekommendationer med tidslinje")),
                    "description": " ".join(
                        [
                            str(
                                _(
                                    "Samma filter som listan på webbplatsen, 20 rekommendationer "
                                    "per sida, var och en med alla omgångar, svar, bedömningar "
                                    "och åtgärder."
                                )
                            ),
                            # The address each municipality's catalogue names as its own.
                            str(
                                _(
                                    "En kommuns egna rekommendationer finns under %(path)s, med "
                                    "samma parametrar utom municipality; en kommun som inte finns "
                                    "ger 404 med felet under kommun."
                                )
                            )
                            % {"path": "/{kommun}" + list_path},
                        ]
                    ),
                    "parameters": [parameter.as_openapi() for parameter in parameters()],
                    "responses": {
                        "200": {
                            "description": str(_("En sida med rekommendationer.")),
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": COMPONENTS + "RecommendationPage"}
                                }
                            },
                        },
                        "400": {
                            "description": str(
                                _("En parameter är ogiltig; felen per parameter, inget annat.")
                            ),
                            "content": {
                                "application/json": {"schema": {"$ref": COMPONENTS + "Errors"}}
                            },
                        },
                    },
                }
            }
        },
        "components": {"schemas": component_schemas()},
    }


@lru_cache(maxsize=4)
def _cached_document(language: str, year: int) -> dict:
    return _document(language)


def openapi_document() -> dict:
    """The OpenAPI document in the active language (built once per language, year and
    process: the year filter offers the years up to the current one)."""
    return _cached_document(get_language() or "sv", timezone.localdate().year)

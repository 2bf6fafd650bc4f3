"""The field dictionary: every export column and every API field with its meaning, type and
vocabulary, for people (``/oppna-data/``) and machines (Table Schema JSON beside each CSV).

Nothing is written twice: the export columns come from ``exports.LIST_COLUMNS``,
``exports.matrix_columns()`` and the list xlsx's other sheets' ``exports.MEASURE_COLUMNS`` and
``exports.TIMELINE_COLUMNS``, the API fields from the OpenAPI document's schemas.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .api_schema import API_VERSION
from .openapi import COMPONENTS, openapi_document

TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"


def table_schema(columns, *, title, primary_key=None, description=None) -> dict:
    """A Frictionless Table Schema of an export: of its CSV (UTF-8 with BOM, ';'
    separated), or with ``description``, of what else it describes (a sheet of an xlsx)."""
    schema = {
        "$schema": TABLE_SCHEMA_PROFILE,
        "title": str(title),
        "description": str(description)
        if description is not None
        else _(
            "CSV i UTF-8 med byte order mark, fält åtskilda med semikolon. Ett värde som "
            "börjar med = + - eller @ har en apostrof först, så att kalkylprogram inte "
            "tolkar det som en formel."
        ),
        "version": API_VERSION,
        "fields": [],
        "missingValues": [""],
    }
    for column in columns:
        described = {
            "name": str(column.header),
            "type": column.type,
            "description": str(column.description),
        }
        if column.vocabulary:
            described["constraints"] = {"enum": column.vocabulary()}
        schema["fields"].append(described)
    if primary_key:
        schema["primaryKey"] = [str(primary_key)]
    return schema


@dataclass
class ApiField:
    path: str
    type: str
    description: str
    vocabulary: list = field(default_factory=list)


def _resolve(node, schemas):
    if "$ref" in node:
        return schemas[node["$ref"].removeprefix(COMPONENTS)]
    return node


def _vocabulary(node):
    if "oneOf" in node:
        return [(item["const"], item.get("title", "")) for item in node["oneOf"]]
    return [(value, "") for value in node.get("enum", [])]


def _type_text(node, schemas) -> tuple[str, dict | None, bool]:
    """(type in words, the object schema to describe beneath it, is it a list)."""
    options = node.get("anyOf")
    if options:
        others = [option for option in options if option.get("type") != "null"]
        text, inner, is_list = _type_text(others[0], schemas)
        return _("%(type)s eller null") % {"type": text}, inner, is_list
    if "$ref" in node:
        target = _resolve(node, schemas)
        if "properties" in target:
            return _("objekt"), target, False
        return _type_text(target, schemas)
    kind = node.get("type")
    if kind == "array":
        text, inner, _is_list = _type_text(node["items"], schemas)
        return _("lista av %(type)s") % {"type": text}, inner, True
    if kind == "object" and "additionalProperties" in node and "properties" not in node:
        text, inner, _is_list = _type_text(node["additionalProperties"], schemas)
        return _("objekt med %(type)s per parameter") % {"type": text}, inner, "map"
    if kind == "string" and node.get("format") == "date":
        return _("datum (ÅÅÅÅ-MM-DD)"), None, False
    words = {
        "string": _("text"),
        "integer": _("heltal"),
        "boolean": _("sant/falskt"),
        "object": _("objekt"),
    }
    return words.get(kind, kind or _("text")), None, False


def api_fields(component="RecommendationPage") -> list[ApiField]:
    """Every field of an API answer, depth first, with a dotted path ("results[].timeline[]")."""
    schemas = openapi_document()["components"]["schemas"]
    fields = []

    def walk(schema, prefix):
        for name, node in schema["properties"].items():
            text, inner, is_list = _type_text(node, schemas)
            target = node
            for option in node.get("anyOf", []):
                if option.get("type") != "null":
                    target = option
            target = _resolve(target.get("items", target), schemas)
            path = prefix + name
            fields.append(ApiField(path, text, node.get("description", ""), _vocabulary(target)))
            if inner is not None:
                suffix = {True: "[].", False: ".", "map": ".<parameter>[]."}[is_list]
                walk(inner, path + suffix)

    walk(schemas[component], "")
    return fields

"""Write synthetic data as a fixture in the project's format (Django serialization JSON).

The file holds the domain rows only: municipalities, boards, audits, rounds,
recommendations, responses with their decision steps and signatories, entries,
measures, measure updates, due-date changes and assessments. Users are left
out (so ``Board.staff`` is too): a fixture must load into any database, and
accounts are not data to ship. The stored search vector is left out as well;
it is derived data that the importer rebuilds.
"""

import json
from itertools import islice

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import prefetch_related_objects

from recommendations.models import (
    Audit,
    AuditorAssessment,
    Board,
    FollowUpRound,
    Municipality,
    Recommendation,
)
from responses.models import (
    DecisionStep,
    DueDateChange,
    Measure,
    MeasureUpdate,
    Response,
    ResponseEntry,
    Signatory,
)

from .generator import SLUG_PREFIX

CHUNK = 2000
# Board staff are users (not in the fixture); derived fields are recomputed on import.
EXCLUDED = {"staff", *Recommendation.derived_fields, *Municipality.derived_fields}

# (model, path from the model to its municipality's slug), in loading order.
PLAN = [
    (Municipality, "slug"),
    (Board, "municipality__slug"),
    (Audit, "municipality__slug"),
    (FollowUpRound, "audit__municipality__slug"),
    (Recommendation, "audit__municipality__slug"),
    (Response, "board__municipality__slug"),
    (DecisionStep, "response__board__municipality__slug"),
    (Signatory, "response__board__municipality__slug"),
    (ResponseEntry, "response__board__municipality__slug"),
    (Measure, "board__municipality__slug"),
    (MeasureUpdate, "measure__board__municipality__slug"),
    (DueDateChange, "measure__board__municipality__slug"),
    (AuditorAssessment, "round__audit__municipality__slug"),
]


def _field_names(model) -> tuple[list[str], list[str]]:
    """(fields to write, of which many-to-many) for ``model``."""
    fields = [
        field.name
        for field in model._meta.local_fields
        if not field.primary_key and field.name not in EXCLUDED
    ]
    many = [field.name for field in model._meta.local_many_to_many if field.name not in EXCLUDED]
    return fields + many, many


def write_fixture(stream) -> int:
    """Write every synthetic row to ``stream``; return how many objects were written."""
    written = 0
    stream.write("[")
    for model, slug_path in PLAN:
        fields, many = _field_names(model)
        queryset = (
            model._default_manager.filter(**{f"{slug_path}__startswith": SLUG_PREFIX})
            .order_by("pk")
            .iterator(chunk_size=CHUNK)
        )
        while chunk := list(islice(queryset, CHUNK)):
            if many:
                prefetch_related_objects(chunk, *many)
            for item in serializers.serialize("python", chunk, fields=fields):
                stream.write(",\n" if written else "\n")
                stream.write(json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False))
                written += 1
    stream.write("\n]\n")
    return written

"""Which municipality each kind of object belongs to: the lookup from each model to its
Municipality, declared once.

Every scope by municipality starts from it: the admin and the importer
(``tenancy.py``), the pages' ``in_municipality()`` (``InMunicipalityQuerySet``), *Att
granska* and the read rule. It imports nothing of the project, so the models can read it
without an import running in a circle.
"""

# Model label -> lookup from the model to its Municipality.
MUNICIPALITY_PATHS = {
    "recommendations.municipality": "pk",
    "recommendations.membership": "municipality",
    "recommendations.board": "municipality",
    "recommendations.board_staff": "board__municipality",  # a board's staff list
    # A document of no municipality (none of its own, SourceDocument.municipality) is
    # in no municipality's scope: a superuser's.
    "recommendations.sourcedocument": "municipality",
    "recommendations.audit": "municipality",
    "recommendations.followupround": "audit__municipality",
    "recommendations.recommendation": "audit__municipality",
    "recommendations.auditorassessment": "recommendation__audit__municipality",
    "responses.response": "board__municipality",
    "responses.decisionstep": "response__board__municipality",
    "responses.signatory": "response__board__municipality",
    "responses.responseentry": "response__board__municipality",
    "responses.measure": "board__municipality",
    "responses.measureupdate": "measure__board__municipality",
    "responses.duedatechange": "measure__board__municipality",
    "responses.boardstanding": "board__municipality",
}


def path_of(model) -> str | None:
    """The lookup from ``model`` (a model class, or a historical model of one) to its
    Municipality, or None when it belongs to no municipality: every scope by
    municipality (the admin, the pages' ``in_municipality``, *Att granska*, the read
    rule) starts from it."""
    model = getattr(model, "instance_type", model)  # a version's model: its model's path
    return MUNICIPALITY_PATHS.get(model._meta.label_lower)

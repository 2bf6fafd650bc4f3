"""Values the documents do not state outright, marked with the reason they were inferred.

An inferrable value has one companion text field, ``<value>_inference``: empty when the
value is the document's own, otherwise the reason it was read that way ("the sentence is
passive and names no board; …"). One field rather than a flag plus a reason: there is no
state in which a value is marked inferred without a reason, the import format gains one
optional key per value, and the reason travels with its row, so showing it costs no
query. Pages show a non-empty reason with ``{% inference reason %}`` (``inference_tags.py``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


def inference_field(verbose_name) -> models.TextField:
    """The reason a value is an inference; blank when the document states it."""
    return models.TextField(
        verbose_name,
        blank=True,
        help_text=_(
            "Lämna tomt när dokumentet anger värdet. Annars: varför värdet är en tolkning "
            "och vad dokumentet faktiskt säger."
        ),
    )

"""The one status vocabulary.

Used for the board's status of a recommendation in a response entry, for the
auditors' assessment and for measures. It drives filters, colours, symbols,
counts and the timeline; the README documents each value's meaning.
"""

from collections.abc import Iterable
from functools import lru_cache

from django.db import models
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Ej påbörjad")
    PLANNED = "planned", _("Planerad")
    IN_PROGRESS = "in_progress", _("Pågående")
    PARTLY_IMPLEMENTED = "partly_implemented", _("Delvis genomförd")
    IMPLEMENTED = "implemented", _("Genomförd")
    NO_LONGER_RELEVANT = "no_longer_relevant", _("Ej aktuell")
    NOT_ACCEPTED = "not_accepted", _("Ej accepterad")
    NOT_REPORTED = "not_reported", _("Ej redovisad")

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]

    @property
    def symbol(self) -> str:
        """A shape shown beside the colour, so status never relies on colour alone."""
        return _SYMBOLS[self]

    @property
    def css_class(self) -> str:
        return f"status-{self.value.replace('_', '-')}"

    @property
    def rank(self) -> int:
        """Place in the vocabulary's display order (the order the values are declared in).

        Sorting by status means sorting by this, never by the stored code."""
        return _RANKS[self]

    @property
    def is_settled(self) -> bool:
        """Nothing more is expected: done, or no longer relevant."""
        return self in {Status.IMPLEMENTED, Status.NO_LONGER_RELEVANT}

    @property
    def progress(self) -> int:
        """How far along, 0-4, to tell progress from regress between rounds."""
        return _PROGRESS[self]

    @classmethod
    def settled_values(cls) -> list[str]:
        return [status.value for status in cls if status.is_settled]


# What a status reads where there is none (no published answer): the badge's word and
# the exports' cell.
NO_STATUS_LABEL = _("Inget publicerat svar")


class _NormalChoices(BaseChoiceIterator):
    """Choices already in Django's normal form, a list of (value, label) pairs, which its
    ``normalize_choices`` passes on as they are: a plain list it checks pair by pair at
    every reading, twice per select rendered."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.pairs = pairs

    def __iter__(self):
        return iter(self.pairs)


def status_choices() -> Iterable[tuple[str, str]]:
    """The statuses as a form's choices, an empty choice first, in the active language.

    For forms that offer a status many times on one page (the staff form has some forty
    selects): their labels are translated once per language, not once per option of
    every select, and Django takes the list as it is (``_NormalChoices``). Pass the
    function itself as ``choices``, so each form asks at the time it is rendered, in that
    request's language."""
    return _NormalChoices(_choices_in(get_language()))


def status_labels() -> dict[str, str]:
    """{stored value: label} in the active language, translated once per language: for
    exports that write a status per row."""
    return _labels_in(get_language())


@lru_cache(maxsize=16)
def _choices_in(language: str | None) -> list[tuple[str, str]]:
    return [("", str(_("Välj status"))), *((value, str(label)) for value, label in Status.choices)]


@lru_cache(maxsize=16)
def _labels_in(language: str | None) -> dict[str, str]:
    return dict(_choices_in(language)[1:])


_RANKS = {status: position for position, status in enumerate(Status)}

_DESCRIPTIONS = {
    Status.NOT_STARTED: _("Rekommendationen är accepterad men inget arbete har börjat."),
    Status.PLANNED: _("Åtgärder är beslutade eller planerade med tidplan, men inte påbörjade."),
    Status.IN_PROGRESS: _("Arbete pågår; åtgärderna är inte slutförda."),
    Status.PARTLY_IMPLEMENTED: _(
        "Delar av åtgärderna är genomförda, andra återstår eller har inte gett effekt än."
    ),
    Status.IMPLEMENTED: _("Åtgärderna är genomförda; rekommendationen anses tillgodosedd."),
    Status.NO_LONGER_RELEVANT: _(
        "Rekommendationen har fallit bort, till exempel genom ny styrmodell eller lagstiftning."
    ),
    Status.NOT_ACCEPTED: _("Nämnden delar inte revisionens bedömning och tänker inte åtgärda."),
    Status.NOT_REPORTED: _("Nämnden har inte redovisat något om rekommendationen i omgången."),
}

_SYMBOLS = {
    Status.NOT_STARTED: "○",
    Status.PLANNED: "◔",
    Status.IN_PROGRESS: "◑",
    Status.PARTLY_IMPLEMENTED: "◕",
    Status.IMPLEMENTED: "●",
    Status.NO_LONGER_RELEVANT: "–",
    Status.NOT_ACCEPTED: "✕",
    Status.NOT_REPORTED: "?",
}

_PROGRESS = {
    Status.NOT_STARTED: 0,
    Status.NOT_REPORTED: 0,
    Status.NOT_ACCEPTED: 0,
    Status.PLANNED: 1,
    Status.IN_PROGRESS: 2,
    Status.PARTLY_IMPLEMENTED: 3,
    Status.IMPLEMENTED: 4,
    Status.NO_LONGER_RELEVANT: 4,
}

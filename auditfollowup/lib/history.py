"""The version differ behind every change history: who, when, what before and after.

django-simple-history stores one historical row per save, with the user who made it
(HistoryRequestMiddleware). ``changes_from_history`` compares each row with the previous
row of the same object, field by field, and turns the rows of one model into ``Change``s.
Relations are not compared (they do not change in practice and would cost queries); a
fuzzy date's two columns are shown as one value ("maj 2026").

It knows no model: which rows a reader may see, and how each object is named, is the
business of the app whose history it is (``responses/history.py``,
``recommendations/history.py``).
"""

import datetime as dt
from dataclasses import dataclass, field
from html import escape
from pathlib import PurePosixPath

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .content_tags import content_marker
from .dates import FuzzyDate

# Bookkeeping columns (the optimistic lock, the stored search vector): no reader's business.
# Bookkeeping, not what anyone wrote: a measure report's ``showed_no_due`` (that the answer
# gave no due date, so a later move keeps its page as it was) read as a double negative on
# every report ("visade inget slutdatum: Nej").
_SKIPPED_FIELDS = {"id", "version", "search_vector", "showed_no_due"}


@dataclass
class FieldChange:
    label: str
    before: str
    after: str
    # Text someone wrote (a title, a narrative), not a choice or a date in the page's
    # words: marked as written in the documents' language (``content_lang``).
    is_written: bool = False


def naming(pattern: str, **written) -> SafeString:
    """``pattern % written`` for a change's subject ("Åtgärd: %(title)s"): our own words
    escaped, the titles the documents and boards gave escaped and marked as written in
    their language where the page's differs (WCAG 3.1.2)."""
    mark = content_marker()
    return SafeString(escape(pattern) % {k: mark(escape(str(v))) for k, v in written.items()})


@dataclass
class Change:
    when: object
    who: str
    action: str
    subject: str
    fields: list[FieldChange] = field(default_factory=list)
    reason: str = ""


def _tracked_fields(model):
    """(name, label, display, is_written) for each compared field of a historical model."""
    names = {f.name for f in model._meta.concrete_fields}
    tracked = []
    for f in model._meta.concrete_fields:
        if f.name in _SKIPPED_FIELDS or f.name.startswith("history_") or f.is_relation:
            continue
        if f.name.endswith("_precision") and f.name[: -len("precision")] + "date" in names:
            continue
        if f.name.endswith("_date") and f.name[: -len("date")] + "precision" in names:
            prefix = f.name[: -len("_date")]
            tracked.append((f.name, str(f.verbose_name), _fuzzy_display(prefix), False))
        elif f.choices:
            tracked.append((f.name, str(f.verbose_name), _choice_display(f), False))
        elif f.get_internal_type() == "BooleanField":
            tracked.append((f.name, str(f.verbose_name), _yes_no_display(f.attname), False))
        elif _is_file(model, f.name):
            tracked.append((f.name, str(f.verbose_name), _file_display(f.attname), False))
        else:
            written = f.get_internal_type() in ("CharField", "TextField")
            tracked.append((f.name, str(f.verbose_name), _plain_display(f.attname), written))
    return tracked


def _is_file(model, name) -> bool:
    """Whether the field was a file on the tracked model: its history keeps the file's
    stored name in a text column."""
    tracked_model = getattr(model, "instance_type", model)
    try:
        return isinstance(tracked_model._meta.get_field(name), models.FileField)
    except FieldDoesNotExist:
        return False


def _file_display(attname):
    """A file by its name ("protokoll.pdf"), not by where it is stored
    ("responses/2026/protokoll.pdf"), which says nothing to the reader."""

    def display(record):
        return PurePosixPath(getattr(record, attname) or "").name

    return display


def _fuzzy_display(prefix):
    def display(record):
        start = getattr(record, f"{prefix}_date")
        if start is None:
            return ""
        return str(FuzzyDate(start, getattr(record, f"{prefix}_precision")))

    return display


def _choice_display(model_field):
    labels = dict(model_field.flatchoices)

    def display(record):
        value = getattr(record, model_field.attname)
        return str(labels.get(value, value or ""))

    return display


def _yes_no_display(attname):
    def display(record):
        return _("Ja") if getattr(record, attname) else _("Nej")

    return display


def _plain_display(attname):
    def display(record):
        value = getattr(record, attname)
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            # As the history's own "when" column writes a moment: the local time, to the
            # minute (an ISO timestamp in UTC with microseconds read as a fault).
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return str(value)

    return display


def user_name(user) -> str:
    """Who made a change, as the history shows it."""
    if user is None:
        return _("okänd (import eller system)")
    return user.get_full_name() or user.get_username()


# Marked for extraction here, translated when shown.
_ACTIONS = {
    "+": gettext_noop("skapad"),
    "~": gettext_noop("ändrad"),
    "-": gettext_noop("borttagen"),
}


def by_object(rows) -> dict:
    """Historical rows grouped by the object they are versions of, each group in order."""
    grouped = {}
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        grouped.setdefault(row.id, []).append(row)
    return grouped


def with_end(rows):
    """(version, the moment the next version replaced it or None) in order."""
    return zip(rows, [row.history_date for row in rows[1:]] + [None], strict=True)


def versions_with_end(rows):
    """(version, its end) for the versions of every object among ``rows``."""
    for group in by_object(rows).values():
        yield from with_end(group)


def changes_from_history(records, describe, told_elsewhere=None) -> list[Change]:
    """Turn historical rows (any order, one model) into changes, each against its predecessor.

    The first row of an object shown is its creation, or, where earlier versions are
    hidden from the reader, the first version they may read, shown in full;
    ``describe(record)`` names the object for the reader. ``told_elsewhere(record,
    changed)``, given a changed version's {field name: (before, after)} (each object's
    versions in order), returns the names of the fields another change of the history
    tells already (a measure's moved due date, told as the move with its reason); a
    version left with nothing else changed is not shown.
    """
    records = sorted(records, key=lambda r: (r.id, r.history_date, r.history_id))
    if not records:
        return []
    tracked = _tracked_fields(type(records[0]))
    written = {name: is_written for name, _label, _display, is_written in tracked}
    changes, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        values = {name: (label, display(record)) for name, label, display, _w in tracked}
        if before is None and record.history_type == "~":
            # Earlier versions are hidden from this reader: the first one they may read.
            previous[record.id] = values
            changes.append(
                Change(
                    when=record.history_date,
                    who=user_name(record.history_user),
                    action=_("första läsbara version"),
                    subject=describe(record),
                    fields=[
                        FieldChange(label, "", value, written[name])
                        for name, (label, value) in values.items()
                        if value
                    ],
                )
            )
            continue
        if before is None or record.history_type != "~":
            fields = [
                FieldChange(label, "", value, written[name])
                for name, (label, value) in values.items()
                if value and record.history_type == "+"
            ]
        else:
            changed = {
                name: (before[name][1], value)
                for name, (_label, value) in values.items()
                if before[name][1] != value
            }
            left_out = told_elsewhere(record, changed) if told_elsewhere and changed else set()
            fields = [
                FieldChange(values[name][0], old, new, written[name])
                for name, (old, new) in changed.items()
                if name not in left_out
            ]
        previous[record.id] = values
        if record.history_type == "~" and not fields:
            continue
        changes.append(
            Change(
                when=record.history_date,
                who=user_name(record.history_user),
                action=_(_ACTIONS[record.history_type]),
                subject=describe(record),
                fields=fields,
            )
        )
    return changes


def newest_first(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda change: change.when, reverse=True)

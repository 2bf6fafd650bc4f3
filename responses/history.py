"""The change history of a response: its own versions, its entries, their measures and
measure updates, and moved due dates; and the rule for which versions a reader may see.

A reader sees only the versions they could read at the time (``ReadableVersions``): the
history of a response that is published now does not reveal its drafts to other boards,
nor to the auditors, who see its submitted and published states; its own board's staff
and admins see every version. The rule is the one ``Response.objects.visible_to`` applies
today, applied to each moment of the response's own history. A recommendation's history
(``recommendations/history.py``) shows the answers to it through ``answer_changes``, so
both pages apply the rule alike.
"""

from django.db.models import F
from django.utils.translation import gettext as _

from auditfollowup.lib.history import (
    Change,
    FieldChange,
    by_object,
    changes_from_history,
    naming,
    newest_first,
    user_name,
    versions_with_end,
    with_end,
)

from .models import (
    DueDateChange,
    Measure,
    MeasureUpdate,
    Response,
    ResponseEntry,
    ResponseReadRule,
)


class ReadableVersions:
    """Which stored versions a user could read when they were current.

    Built from the historical rows of the responses concerned: a response was readable
    by the user from each version the one read rule allows (``ResponseReadRule.allows``:
    its state, board and municipality as they were then) until its next version. A
    version of an entry, a measure update or a measure is readable when the time it was
    current overlaps a time its response was readable. The responses all belong to one
    municipality's boards (``municipality_id``).
    """

    def __init__(self, user, response_rows, municipality_id):
        rule = ResponseReadRule(user)
        self._periods = {}
        self._rows = by_object(response_rows)
        for response_id, rows in self._rows.items():
            self._periods[response_id] = [
                (row.history_date, until)
                for row, until in with_end(rows)
                if row.history_type != "-" and rule.allows(row.state, row.board_id, municipality_id)
            ]

    def rows_of(self, response_id):
        return self._rows.get(response_id, [])

    def readable_responses(self, rows):
        """The response's own versions the user could read."""
        return [
            row
            for row, until in versions_with_end(rows)
            if self._overlaps(row.id, row.history_date, until)
        ]

    def filter(self, rows, response_of):
        """Versions of other objects; ``response_of(row)`` is the response they belong to
        (None: not in any response, so always readable)."""
        kept = []
        for row, until in versions_with_end(rows):
            response_id = response_of(row)
            if response_id is None or self._overlaps(response_id, row.history_date, until):
                kept.append(row)
        return kept

    def _overlaps(self, response_id, start, end) -> bool:
        return any(
            (end is None or period_start < end) and (period_end is None or start < period_end)
            for period_start, period_end in self._periods.get(response_id, [])
        )


def measure_history(user):
    """Historical rows of the measures the user may see now, each with the response that
    announced it (``announced_response_id``, None for an imported one)."""
    return (
        Measure.history.filter(id__in=Measure.objects.visible_to(user).values("pk"))
        .annotate(announced_response_id=F("announced_in__response_id"))
        .select_related("history_user")
    )


def answer_changes(
    user, municipality_id, response_ids, entry_rows, measure_rows, update_rows, describe_entry
):
    """The changes to answers a user may read: entries, measures and measure updates.

    ``entry_rows``, ``measure_rows`` (from ``measure_history``) and ``update_rows`` are the
    historical rows concerned, of responses ``response_ids`` of one municipality. Returns
    the ``ReadableVersions`` (for the responses' own versions), the changes, and the
    measures shown (id: title), so the caller can add their moved due dates. One query:
    the responses' history.
    """
    readable = ReadableVersions(
        user,
        Response.history.filter(
            id__in={*response_ids, *(row.announced_response_id for row in measure_rows)}
        ).select_related("history_user"),
        municipality_id,
    )
    response_of_entry = {row.id: row.response_id for row in entry_rows}
    entry_rows = readable.filter(entry_rows, lambda row: row.response_id)
    measure_rows = readable.filter(measure_rows, lambda row: row.announced_response_id)
    titles = {row.id: row.title for row in measure_rows}
    update_rows = readable.filter(
        [row for row in update_rows if row.measure_id in titles],
        lambda row: response_of_entry.get(row.entry_id),
    )
    changes = changes_from_history(entry_rows, describe_entry)
    changes += changes_from_history(measure_rows, _describe_measure)
    changes += changes_from_history(
        update_rows,
        lambda row: naming(
            _("Lägesrapport för åtgärd: %(title)s"),
            title=titles.get(row.measure_id, row.measure_id),
        ),
    )
    return readable, changes, titles


def due_date_changes(queryset) -> list[Change]:
    """Moved due dates (``DueDateChange`` rows, already limited to what the reader may see)."""
    label = _("klart senast")
    return [
        Change(
            when=change.changed_at,
            who=user_name(change.changed_by),
            action=_("slutdatum flyttat"),
            subject=naming(_("Åtgärd: %(title)s"), title=change.measure.title),
            fields=[FieldChange(label, str(change.previous or ""), str(change.new or ""))],
            reason=change.reason,
        )
        for change in queryset.select_related("changed_by", "measure")
    ]


def change_history_for_response(response, user) -> list[Change]:
    """Every recorded change to a response, its entries, their measures and measure updates.

    Queries (constant): response history, entry history, measure-update history, measure
    history, due-date changes; each with its user joined in.
    """
    entry_rows = list(
        ResponseEntry.history.filter(response_id=response.pk)
        .select_related("history_user", "recommendation")
        .order_by()
    )
    entry_ids = {row.id for row in entry_rows}
    update_rows = list(
        MeasureUpdate.history.filter(entry_id__in=entry_ids).select_related("history_user")
    )
    measure_rows = list(
        measure_history(user).filter(id__in={row.measure_id for row in update_rows})
    )
    readable, answers, _titles = answer_changes(
        user,
        response.board.municipality_id,
        {response.pk},
        entry_rows,
        measure_rows,
        update_rows,
        _describe_entry,
    )
    changes = changes_from_history(
        readable.readable_responses(readable.rows_of(response.pk)), lambda row: _("Yttrandet")
    )
    changes += answers
    changes += due_date_changes(
        DueDateChange.objects.visible_to(user).filter(entry_id__in=entry_ids)
    )
    return newest_first(changes)


def _describe_entry(row) -> str:
    recommendation = row.recommendation
    if recommendation is not None and recommendation.name_is_documents:
        # The document's own label; otherwise a name in the page's words.
        return naming(_("Svar på %(name)s"), name=recommendation.display_name)
    name = recommendation.display_name if recommendation else row.id
    return _("Svar på %(name)s") % {"name": name}


def _describe_measure(row) -> str:
    return naming(_("Åtgärd: %(title)s"), title=row.title)

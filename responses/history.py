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

from collections import Counter

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
    user,
    municipality_id,
    response_ids,
    entry_rows,
    measure_rows,
    update_rows,
    describe_entry,
    moves_of,
):
    """The changes to answers a user may read: entries, measures, measure updates and
    moved due dates.

    ``entry_rows``, ``measure_rows`` (from ``measure_history``) and ``update_rows`` are the
    historical rows concerned, of responses ``response_ids`` of one municipality;
    ``moves_of(titles)`` the moves of due dates to show (``DueDateChange`` rows the reader
    may see), given the measures shown (id: title). A moved date is told once, as the
    move with its reason (``due_date_changes``): the measure's own version that took the
    new date does not tell it again (``_told_by_moves``). Returns the ``ReadableVersions``
    (for the responses' own versions) and the changes. Two queries: the responses'
    history and the moves.
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
    moves = list(moves_of(titles).select_related("changed_by", "measure"))
    changes = changes_from_history(entry_rows, describe_entry)
    changes += changes_from_history(measure_rows, _describe_measure, _told_by_moves(moves))
    changes += changes_from_history(
        update_rows,
        lambda row: naming(
            _("Lägesrapport för åtgärd: %(title)s"),
            title=titles.get(row.measure_id, row.measure_id),
        ),
    )
    changes += due_date_changes(moves)
    return readable, changes


def due_date_changes(moves) -> list[Change]:
    """Moved due dates (``DueDateChange`` rows, already limited to what the reader may
    see, with their measure and mover), each with its reason."""
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
        for change in moves
    ]


def _told_by_moves(moves):
    """``changes_from_history``'s ``told_elsewhere`` for a measure's versions: a version
    whose due date went from one date to another as a listed move moved it (publishing
    the answer the move is in, or an admin's move, wrote it onto the measure) leaves its
    due date, and the reason of the old date that went with it (``Measure.take_report``),
    to the move, which tells who, when and why. Each move accounts for one version."""
    untold = Counter(
        (move.measure_id, str(move.previous or ""), str(move.new or "")) for move in moves
    )

    def told(record, changed) -> set[str]:
        if "due_date" not in changed:
            return set()
        key = (record.id, *changed["due_date"])
        if not untold[key]:
            return set()
        untold[key] -= 1
        return {"due_date", "due_inference"}

    return told


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
    readable, answers = answer_changes(
        user,
        response.board.municipality_id,
        {response.pk},
        entry_rows,
        measure_rows,
        update_rows,
        _describe_entry,
        # The moves made in this response.
        lambda _titles: DueDateChange.objects.visible_to(user).filter(entry_id__in=entry_ids),
    )
    changes = changes_from_history(
        readable.readable_responses(readable.rows_of(response.pk)), lambda row: _("Yttrandet")
    )
    changes += answers
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

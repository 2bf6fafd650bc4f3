"""The change history (who, when, what before and after) of a response or a recommendation.

django-simple-history stores one historical row per save, with the user who made it
(HistoryRequestMiddleware). Here we read those rows for a set of objects, one query per
model, and compare each row with the previous row of the same object, field by field.
Relations are not compared (they do not change in practice and would cost queries);
a fuzzy date's two columns are shown as one value ("maj 2026").

A reader sees only the versions they could read at the time (``ReadableVersions``): the
history of a response that is published now does not reveal its drafts to other boards,
nor to the auditors, who see its submitted and published states; its own board's staff
and admins see every version. The rule is the one ``Response.objects.visible_to`` applies
today, applied to each moment of the response's own history.
"""

from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from auditfollowup.lib.dates import FuzzyDate

_SKIPPED_FIELDS = {"id", "version", "search_vector"}


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class Change:
    when: object
    who: str
    action: str
    subject: str
    fields: list[FieldChange] = field(default_factory=list)
    reason: str = ""


def _tracked_fields(model):
    """(name, label, display) for each compared field of a historical model."""
    names = {f.name for f in model._meta.concrete_fields}
    tracked = []
    for f in model._meta.concrete_fields:
        if f.name in _SKIPPED_FIELDS or f.name.startswith("history_") or f.is_relation:
            continue
        if f.name.endswith("_precision") and f.name[: -len("precision")] + "date" in names:
            continue
        if f.name.endswith("_date") and f.name[: -len("date")] + "precision" in names:
            prefix = f.name[: -len("_date")]
            tracked.append((f.name, str(f.verbose_name), _fuzzy_display(prefix)))
        elif f.choices:
            tracked.append((f.name, str(f.verbose_name), _choice_display(f)))
        else:
            tracked.append((f.name, str(f.verbose_name), _plain_display(f.attname)))
    return tracked


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


def _plain_display(attname):
    def display(record):
        value = getattr(record, attname)
        if value is None:
            return ""
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return str(value)

    return display


def _user_name(user) -> str:
    if user is None:
        return _("okänd (import eller system)")
    return user.get_full_name() or user.get_username()


# Marked for extraction here, translated when shown.
_ACTIONS = {
    "+": gettext_noop("skapad"),
    "~": gettext_noop("ändrad"),
    "-": gettext_noop("borttagen"),
}


class ReadableVersions:
    """Which stored versions a user could read when they were current.

    Built from the historical rows of the responses concerned: a response was readable
    by the user from each version in a readable state (``readable_states``, or any state
    for its own board's staff and for admins) until its next version. A version of an
    entry, a measure update or a measure is readable when the time it was current overlaps
    a time its response was readable. The responses all belong to one municipality's
    boards (``municipality_id``); outside the user's own, only published versions count.
    """

    def __init__(self, user, response_rows, municipality_id):
        from recommendations import roles
        from responses.models import Response, readable_states

        in_scope = roles.covers(user, municipality_id)
        everything = roles.is_admin(user) and in_scope
        states = readable_states(user) if in_scope else {Response.State.PUBLISHED}
        own_boards = roles.staff_board_ids(user)
        self._periods = {}
        self._rows = _by_object(response_rows)
        for response_id, rows in self._rows.items():
            self._periods[response_id] = [
                (row.history_date, until)
                for row, until in _with_end(rows)
                if row.history_type != "-"
                and (everything or row.state in states or row.board_id in own_boards)
            ]

    def rows_of(self, response_id):
        return self._rows.get(response_id, [])

    def readable_responses(self, rows):
        """The response's own versions the user could read."""
        return [
            row
            for row, until in _flatten(_with_end(group) for group in _by_object(rows).values())
            if self._overlaps(row.id, row.history_date, until)
        ]

    def filter(self, rows, response_of):
        """Versions of other objects; ``response_of(row)`` is the response they belong to
        (None: not in any response, so always readable)."""
        kept = []
        for row, until in _flatten(_with_end(group) for group in _by_object(rows).values()):
            response_id = response_of(row)
            if response_id is None or self._overlaps(response_id, row.history_date, until):
                kept.append(row)
        return kept

    def _overlaps(self, response_id, start, end) -> bool:
        return any(
            (end is None or period_start < end) and (period_end is None or start < period_end)
            for period_start, period_end in self._periods.get(response_id, [])
        )


def _by_object(rows) -> dict:
    grouped = {}
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        grouped.setdefault(row.id, []).append(row)
    return grouped


def _with_end(rows):
    """(version, the moment the next version replaced it or None) in order."""
    return zip(rows, [row.history_date for row in rows[1:]] + [None], strict=True)


def _flatten(groups):
    for group in groups:
        yield from group


def changes_from_history(records, describe) -> list[Change]:
    """Turn historical rows (any order, one model) into changes, each against its predecessor.

    The first row of an object shown is its creation, or, where earlier versions are
    hidden from the reader, the first version they may read, shown in full;
    ``describe(record)`` names the object for the reader.
    """
    records = sorted(records, key=lambda r: (r.id, r.history_date, r.history_id))
    if not records:
        return []
    tracked = _tracked_fields(type(records[0]))
    changes, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        values = {name: (label, display(record)) for name, label, display in tracked}
        if before is None and record.history_type == "~":
            # Earlier versions are hidden from this reader: the first one they may read.
            previous[record.id] = values
            changes.append(
                Change(
                    when=record.history_date,
                    who=_user_name(record.history_user),
                    action=_("första läsbara version"),
                    subject=describe(record),
                    fields=[
                        FieldChange(label, "", value) for label, value in values.values() if value
                    ],
                )
            )
            continue
        if before is None or record.history_type != "~":
            fields = [
                FieldChange(label, "", value)
                for label, value in values.values()
                if value and record.history_type == "+"
            ]
        else:
            fields = [
                FieldChange(label, before[name][1], value)
                for name, (label, value) in values.items()
                if before[name][1] != value
            ]
        previous[record.id] = values
        if record.history_type == "~" and not fields:
            continue
        changes.append(
            Change(
                when=record.history_date,
                who=_user_name(record.history_user),
                action=_(_ACTIONS[record.history_type]),
                subject=describe(record),
                fields=fields,
            )
        )
    return changes


def _due_date_changes(queryset) -> list[Change]:
    label = _("klart senast")
    return [
        Change(
            when=change.changed_at,
            who=_user_name(change.changed_by),
            action=_("slutdatum flyttat"),
            subject=_("Åtgärd: %(title)s") % {"title": change.measure.title},
            fields=[FieldChange(label, str(change.previous or ""), str(change.new or ""))],
            reason=change.reason,
        )
        for change in queryset.select_related("changed_by", "measure")
    ]


def _newest_first(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda change: change.when, reverse=True)


def change_history_for_response(response, user) -> list[Change]:
    """Every recorded change to a response, its entries, their measures and measure updates.

    Queries (constant): response history, entry history, measure-update history, measure
    history, due-date changes; each with its user joined in.
    """
    from responses.models import DueDateChange, MeasureUpdate, Response, ResponseEntry

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
        _measure_history(user).filter(id__in={row.measure_id for row in update_rows})
    )
    readable = ReadableVersions(
        user,
        Response.history.filter(
            id__in={response.pk, *(row.announced_response_id for row in measure_rows)}
        ).select_related("history_user"),
        response.board.municipality_id,
    )
    entry_rows = readable.filter(entry_rows, lambda row: row.response_id)
    measure_rows = readable.filter(measure_rows, lambda row: row.announced_response_id)
    titles = {row.id: row.title for row in measure_rows}
    update_rows = readable.filter(
        [row for row in update_rows if row.measure_id in titles], lambda row: response.pk
    )
    changes = changes_from_history(
        readable.readable_responses(readable.rows_of(response.pk)), lambda row: _("Yttrandet")
    )
    changes += changes_from_history(entry_rows, _describe_entry)
    changes += changes_from_history(measure_rows, _describe_measure)
    changes += changes_from_history(
        update_rows,
        lambda row: (
            _("Lägesrapport för åtgärd: %(title)s")
            % {"title": titles.get(row.measure_id, row.measure_id)}
        ),
    )
    changes += _due_date_changes(
        DueDateChange.objects.visible_to(user).filter(entry_id__in=entry_ids)
    )
    return _newest_first(changes)


def change_history_for_recommendation(recommendation, user) -> list[Change]:
    """Every recorded change to a recommendation, its assessments, and the answers and
    measures this user may see (other boards' drafts stay hidden).

    Queries (constant): recommendation history, assessment history, visible responses,
    entry history, measure history, measure-update history, due-date changes.
    """
    from recommendations.models import AuditorAssessment, Recommendation
    from responses.models import DueDateChange, Measure, MeasureUpdate, Response, ResponseEntry

    visible = {
        response.pk: response
        for response in Response.objects.visible_to(user)
        .filter(entries__recommendation=recommendation)
        .select_related("board", "round")
        .distinct()
    }
    entry_rows = list(
        ResponseEntry.history.filter(
            recommendation_id=recommendation.pk, response_id__in=visible
        ).select_related("history_user")
    )
    entry_ids = {row.id for row in entry_rows}
    # Its own measures and the shared ones that also serve it (a subquery, no extra query).
    shared_ids = Measure.also_serves.through.objects.filter(
        recommendation_id=recommendation.pk
    ).values("measure_id")
    measure_rows = list(
        _measure_history(user).filter(Q(recommendation_id=recommendation.pk) | Q(id__in=shared_ids))
    )
    update_rows = list(
        MeasureUpdate.history.filter(entry_id__in=entry_ids).select_related("history_user")
    )
    readable = ReadableVersions(
        user,
        Response.history.filter(
            id__in={*visible, *(row.announced_response_id for row in measure_rows)}
        ),
        recommendation.audit.municipality_id,
    )
    entry_rows = readable.filter(entry_rows, lambda row: row.response_id)
    measure_rows = readable.filter(measure_rows, lambda row: row.announced_response_id)
    titles = {row.id: row.title for row in measure_rows}
    response_of_entry = {row.id: row.response_id for row in entry_rows}
    update_rows = readable.filter(
        [row for row in update_rows if row.measure_id in titles],
        lambda row: response_of_entry.get(row.entry_id),
    )

    def describe_entry(row):
        response = visible[row.response_id]
        return _("Svar från %(board)s, omgång %(round)s") % {
            "board": response.board.name,
            "round": response.round.sequence,
        }

    changes = changes_from_history(
        Recommendation.history.filter(id=recommendation.pk).select_related("history_user"),
        lambda row: _("Rekommendationen"),
    )
    changes += changes_from_history(
        AuditorAssessment.history.filter(recommendation_id=recommendation.pk).select_related(
            "history_user", "round"
        ),
        lambda row: _("Revisionens bedömning, omgång %(round)s") % {"round": row.round.sequence},
    )
    changes += changes_from_history(entry_rows, describe_entry)
    changes += changes_from_history(measure_rows, _describe_measure)
    changes += changes_from_history(
        update_rows,
        lambda row: (
            _("Lägesrapport för åtgärd: %(title)s")
            % {"title": titles.get(row.measure_id, row.measure_id)}
        ),
    )
    changes += _due_date_changes(
        DueDateChange.objects.visible_to(user).filter(measure_id__in=titles)
    )
    return _newest_first(changes)


def _measure_history(user):
    """Historical rows of the measures the user may see now, each with the response that
    announced it (``announced_response_id``, None for an imported one)."""
    from responses.models import Measure

    return (
        Measure.history.filter(id__in=Measure.objects.visible_to(user).values("pk"))
        .annotate(announced_response_id=F("announced_in__response_id"))
        .select_related("history_user")
    )


def _describe_entry(row) -> str:
    recommendation = row.recommendation
    name = recommendation.display_name if recommendation else row.id
    return _("Svar på %(name)s") % {"name": name}


def _describe_measure(row) -> str:
    return _("Åtgärd: %(title)s") % {"title": row.title}

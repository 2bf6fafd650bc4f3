"""The change history of a recommendation: its own versions, the auditors' assessments,
and the answers and measures a reader may see (built on ``responses/history.py``, which
decides which versions of an answer the reader could read at the time)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from auditfollowup.lib.history import Change, changes_from_history, newest_first
from responses.history import answer_changes, measure_history
from responses.models import DueDateChange, Measure, MeasureUpdate, Response, ResponseEntry

from .models import AuditorAssessment, Recommendation


def change_history_for_recommendation(recommendation, user) -> list[Change]:
    """Every recorded change to a recommendation, its assessments, and the answers and
    measures this user may see (other boards' drafts stay hidden).

    Queries (constant): recommendation history, assessment history, visible responses,
    entry history, measure history, measure-update history, the responses' history,
    due-date changes.
    """
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
    # Its own measures and the shared ones that also serve it (a subquery, no extra query).
    shared_ids = Measure.also_serves.through.objects.filter(
        recommendation_id=recommendation.pk
    ).values("measure_id")
    measure_rows = list(
        measure_history(user).filter(Q(recommendation_id=recommendation.pk) | Q(id__in=shared_ids))
    )
    update_rows = list(
        MeasureUpdate.history.filter(entry_id__in={row.id for row in entry_rows}).select_related(
            "history_user"
        )
    )

    def describe_entry(row):
        response = visible[row.response_id]
        return _("Svar från %(board)s, omgång %(round)s") % {
            "board": response.board.name,
            "round": response.round.sequence,
        }

    _readable, answers = answer_changes(
        user,
        recommendation.audit.municipality_id,
        visible,
        entry_rows,
        measure_rows,
        update_rows,
        describe_entry,
        # The moves of the measures shown, wherever they were made.
        lambda titles: DueDateChange.objects.visible_to(user).filter(measure_id__in=titles),
    )
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
    changes += answers
    return newest_first(changes)

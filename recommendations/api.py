"""Read-only JSON API of recommendations with their full timeline (format: README, "JSON API").

Takes the same filters as the recommendation list and returns one page at a time.
"""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.utils import timezone

from .filters import RecommendationFilter, recommendation_queryset
from .roles import Public, access
from .status import Status
from .timeline import build_timeline, with_timeline

API_PAGE_SIZE = 20


def _fuzzy(value):
    if value is None:
        return None
    return {"text": value.as_text(), "start": value.start.isoformat(), "end": value.end.isoformat()}


def _status(value):
    if not value:
        return None
    status = Status(value)
    return {"value": status.value, "label": str(status.label)}


def _board(board):
    return {"id": board.pk, "short_code": board.short_code, "name": board.name}


def _measure(state):
    measure = state.measure
    return {
        "id": measure.pk,
        "title": measure.title,
        "board": measure.board.short_code,
        "responsible": measure.responsible,
        "status": _status(measure.status),
        "due": _fuzzy(state.due),
        "completed": _fuzzy(measure.completed),
        "overdue": state.is_overdue,
        "days_overdue": state.days_overdue,
        "effect": measure.effect,
        "announced_in_entry": measure.announced_in_id,
        "recommendation": measure.recommendation_id,
        "shared": state.is_shared,
        "shared_with": [other.pk for other in state.shared_with],
        "due_date_changes": [
            {
                "previous": _fuzzy(change.previous),
                "new": _fuzzy(change.new),
                "reason": change.reason,
                "entry": change.entry_id,
            }
            for change in state.due_date_changes
        ],
    }


def _entry(step, request):
    response = step.response
    return {
        "id": step.entry.pk,
        "response": {
            "id": response.pk,
            "title": response.title,
            "diary_number": response.diary_number,
            "board": _board(response.board),
            "date": _fuzzy(response.date),
            "state": response.state,
            "url": request.build_absolute_uri(response.get_absolute_url()),
        },
        "status": _status(step.entry.status),
        "status_change": step.status_change,
        "narrative": step.entry.narrative,
        "repeats_previous": step.is_repeat,
        "measure_updates": [
            {"measure": update.measure_id, "status": _status(update.status), "note": update.note}
            for update in step.measure_updates
        ],
    }


def _standing(standing, today):
    """One board's own standing on the recommendation (published answers only)."""
    return {
        "board": _board(standing.board),
        "addressed": standing.is_addressed,
        "answered": bool(standing.status),
        "status": _status(standing.status),
        "round": standing.round.sequence if standing.round else None,
        "answered_on": _fuzzy(standing.answered) if standing.status else None,
        "assessment": _status(standing.assessment_status),
        "disagrees": standing.disagrees,
        "open_measures": standing.open_measures,
        "next_due": _fuzzy(standing.next_due),
        "overdue": standing.has_overdue_measures(today),
    }


def _recommendation(recommendation, request, today):
    timeline = build_timeline(recommendation, today)
    audit = recommendation.audit
    return {
        "id": recommendation.pk,
        "url": request.build_absolute_uri(recommendation.get_absolute_url()),
        "label": recommendation.label,
        "position": recommendation.position,
        "kind": recommendation.kind,
        "text": recommendation.text,
        "audit": {
            "id": audit.pk,
            "reference": audit.reference,
            "title": audit.title,
            "url": request.build_absolute_uri(audit.get_absolute_url()),
        },
        "addressed_to": [_board(b) for b in recommendation.addressed_to.all()],
        "answered_by": [_board(b) for b in recommendation.answered_by.all()],
        "current_status": _status(recommendation.current_status),
        "boards_answered": recommendation.boards_answered,
        "boards_required": recommendation.boards_required,
        "standings": [_standing(standing, today) for standing in timeline.standings],
        "report_back": _fuzzy(recommendation.report_back),
        "closed_on": recommendation.closed_on.isoformat() if recommendation.closed_on else None,
        "timeline": [
            {
                "round": {
                    "sequence": step.round.sequence,
                    "kind": step.round.kind,
                    "title": step.round.title,
                    "deadline": _fuzzy(step.round.deadline),
                },
                "assessment": step.assessment
                and {
                    "status": _status(step.assessment.status),
                    "comment": step.assessment.comment,
                    "assessed_on": step.assessment.assessed_on.isoformat(),
                },
                "entries": [_entry(entry, request) for entry in step.entries],
            }
            for step in timeline.rounds
        ],
        "measures": [_measure(state) for state in timeline.measures],
    }


@access(Public)
def recommendations(request):
    filterset = RecommendationFilter(
        request.GET, queryset=recommendation_queryset(), request=request
    )
    if not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
    paginator = Paginator(with_timeline(filterset.qs, request.user), API_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    today = timezone.localdate()

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [_recommendation(rec, request, today) for rec in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )

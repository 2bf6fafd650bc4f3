"""CSV and Excel (xlsx) exports of the filtered recommendation list and of the matrix.

The exports take the same GET parameters as their pages and contain every matching row
(no pagination); an invalid filter is a 400, as on the pages, never an unfiltered export.
Cells hold text only (status as its Swedish label), written by ``spreadsheets``, which
neutralises anything a spreadsheet would run as a formula.
"""

from functools import wraps

from django.db.models import Prefetch
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from responses.models import BoardStanding

from .filters import RecommendationFilter, recommendation_queryset
from .roles import Public, access
from .spreadsheets import csv_response, xlsx_response
from .status import Status
from .timeline import MATRIX_YEARS, build_timeline, with_timeline
from .views import matrix_groups


class InvalidFilter(Exception):
    def __init__(self, filterset):
        self.filterset = filterset


def _status_label(value):
    return str(Status(value).label) if value else _("Inget publicerat svar")


def _valid(filterset):
    if not filterset.is_valid():
        raise InvalidFilter(filterset)
    return filterset


def list_rows(request):
    """Header and rows of the filtered recommendation list. Queries: 3 (+ filter forms)."""
    filterset = _valid(
        RecommendationFilter(request.GET, queryset=recommendation_queryset(), request=request)
    )
    recommendations = filterset.qs.select_related("audit").prefetch_related(
        "addressed_to",
        Prefetch(
            "standings",
            queryset=BoardStanding.objects.select_related("board").order_by("board__name"),
        ),
    )
    header = [
        _("Id"),
        _("Granskning"),
        _("Granskningens titel"),
        _("Beteckning"),
        _("Typ"),
        _("Lydelse"),
        _("Riktad till"),
        _("Aktuell status"),
        _("Nämnder som har svarat"),
        _("Varje nämnds status"),
        _("Avslutad"),
        _("Adress"),
        # Why a value is an inference, not the documents' own words; empty when it is theirs.
        _("Tolkning: riktad till"),
        _("Tolkning: granskningens titel"),
    ]
    rows = [
        [
            rec.pk,
            rec.audit.reference,
            rec.audit.title,
            rec.display_name,
            rec.get_kind_display(),
            rec.text,
            ", ".join(board.short_code for board in rec.addressed_to.all()),
            _status_label(rec.current_status),
            f"{rec.boards_answered}/{rec.boards_required}",
            "; ".join(
                f"{standing.board.short_code}: "
                + (_status_label(standing.status) if standing.status else _("har inte svarat"))
                for standing in rec.standings.all()
            ),
            rec.closed_on.isoformat() if rec.closed_on else "",
            request.build_absolute_uri(rec.get_absolute_url()),
            rec.addressed_to_inference,
            rec.audit.title_inference,
        ]
        for rec in recommendations
    ]
    return header, rows


def _timelines(request):
    """The timelines of the filtered list's recommendations, as their pages show them to
    this user. Queries: those of ``with_timeline`` (a constant number)."""
    filterset = RecommendationFilter(
        request.GET, queryset=recommendation_queryset(), request=request
    )
    today = timezone.localdate()
    return [build_timeline(rec, today) for rec in with_timeline(filterset.qs, request.user)]


def _text(value):
    return "" if value is None else str(value)


def measure_rows(timelines):
    """Header and rows of the measures of the listed recommendations: one row per measure
    and recommendation it serves, with its standing today."""
    header = [
        _("Rekommendationens id"),
        _("Granskning"),
        _("Beteckning"),
        _("Åtgärd"),
        _("Nämnd"),
        _("Ansvarig"),
        _("Klart senast"),
        _("Status"),
        _("Försenad"),
        _("Dagar försenad"),
        _("Genomförd"),
        _("Gemensam åtgärd"),
    ]
    rows = []
    for timeline in timelines:
        rec = timeline.recommendation
        for state in timeline.measures:
            measure = state.measure
            rows.append(
                [
                    rec.pk,
                    rec.audit.reference or rec.audit.title,
                    rec.display_name,
                    measure.title,
                    measure.board.short_code,
                    measure.responsible,
                    _text(state.due),
                    str(state.status.label),
                    _("Ja") if state.is_overdue else _("Nej"),
                    state.days_overdue if state.is_overdue else 0,
                    _text(measure.completed),
                    _("Ja") if state.is_shared else _("Nej"),
                ]
            )
    return header, rows


def timeline_rows(timelines):
    """Header and rows of the timeline: one row per readable answer, round by round."""
    header = [
        _("Rekommendationens id"),
        _("Granskning"),
        _("Beteckning"),
        _("Omgång"),
        _("Omgångens titel"),
        _("Nämnd"),
        _("Yttrande"),
        _("Diarienummer"),
        _("Datum"),
        _("Nämndens status"),
        _("Revisionens bedömning"),
        _("Redovisning"),
    ]
    rows = []
    for timeline in timelines:
        rec = timeline.recommendation
        for step in timeline.entries:
            response = step.response
            rows.append(
                [
                    rec.pk,
                    rec.audit.reference or rec.audit.title,
                    rec.display_name,
                    response.round.sequence,
                    response.round.title,
                    response.board.short_code,
                    response.title,
                    response.diary_number,
                    _text(step.date),
                    str(step.status.label),
                    str(step.assessment_status.label) if step.assessment else "",
                    step.entry.narrative,
                ]
            )
    return header, rows


def matrix_rows(request):
    """Header and rows of the matrix, one column per year."""
    filterset, groups = matrix_groups(request)
    _valid(filterset)
    header = [
        _("Granskning"),
        _("Beteckning"),
        _("Lydelse"),
        _("Nämnd"),
        *map(str, MATRIX_YEARS),
    ]
    rows = []
    for group in groups:
        for row in group.rows:
            rec = row.recommendation
            cells = [_matrix_cell(cell) for cell in row.cells]
            rows.append(
                [
                    group.audit.reference or group.audit.title,
                    rec.display_name,
                    rec.text,
                    row.board.short_code if row.board else "",
                    *cells,
                ]
            )
    return header, rows


def _matrix_cell(cell) -> str:
    """The board's status, and the auditors' assessment of the same round beside it."""
    if cell is None:
        return ""
    text = _status_label(cell.status)
    if cell.assessment:
        text += " / " + _("revisionen: %(status)s") % {
            "status": _status_label(cell.assessment_status)
        }
        if cell.disagrees:
            text += " (" + _("annan bedömning") + ")"
    return text


def _bad_request(filterset) -> HttpResponseBadRequest:
    """The filter errors as plain text, in the user's language."""
    lines = [_("Ogiltigt filter; exporten är inte gjord.")]
    for name, errors in filterset.errors.items():
        lines += [f"{name}: {error}" for error in errors]
    return HttpResponseBadRequest("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _refusing_invalid_filters(view):
    """An export view that answers 400 for an invalid filter, as its page does."""

    @wraps(view)
    def wrapper(request):
        try:
            return view(request)
        except InvalidFilter as invalid:
            return _bad_request(invalid.filterset)

    return wrapper


def _name(prefix):
    return f"{prefix}-{timezone.localdate().isoformat()}"


@access(Public)
@require_safe
@_refusing_invalid_filters
def recommendations_csv(request):
    return csv_response(*list_rows(request), _name("rekommendationer"))


@access(Public)
@require_safe
@_refusing_invalid_filters
def recommendations_xlsx(request):
    """The list, then its recommendations' measures and timeline entries."""
    timelines = _timelines(request)
    return xlsx_response(
        *list_rows(request),
        _name("rekommendationer"),
        _("Rekommendationer"),
        more_sheets=[
            (_("Åtgärder"), *measure_rows(timelines)),
            (_("Tidslinje"), *timeline_rows(timelines)),
        ],
    )


@access(Public)
@require_safe
@_refusing_invalid_filters
def matrix_csv(request):
    return csv_response(*matrix_rows(request), _name("matris"))


@access(Public)
@require_safe
@_refusing_invalid_filters
def matrix_xlsx(request):
    return xlsx_response(*matrix_rows(request), _name("matris"), _("Matris"))

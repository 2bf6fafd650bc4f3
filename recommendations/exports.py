"""CSV and Excel (xlsx) exports of the filtered recommendation list and of the matrix.

The exports take the same GET parameters as their pages and contain every matching row
(no pagination); an invalid filter is a 400, as on the pages, never an unfiltered export.
Cells hold text only (status as its Swedish label), written by ``spreadsheets``, which
neutralises anything a spreadsheet would run as a formula.
"""

from functools import wraps

from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .filters import RecommendationFilter, recommendation_queryset
from .spreadsheets import csv_response, xlsx_response
from .status import Status
from .templatetags.status_tags import rec_label
from .timeline import MATRIX_YEARS
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
    """Header and rows of the filtered recommendation list. Queries: 2 (+ filter forms)."""
    filterset = _valid(
        RecommendationFilter(request.GET, queryset=recommendation_queryset(), request=request)
    )
    recommendations = filterset.qs.select_related("audit").prefetch_related("addressed_to")
    header = [
        _("Id"),
        _("Granskning"),
        _("Granskningens titel"),
        _("Beteckning"),
        _("Typ"),
        _("Lydelse"),
        _("Riktad till"),
        _("Aktuell status"),
        _("Avslutad"),
        _("Adress"),
    ]
    rows = [
        [
            rec.pk,
            rec.audit.reference,
            rec.audit.title,
            rec_label(rec),
            rec.get_kind_display(),
            rec.text,
            ", ".join(board.short_code for board in rec.addressed_to.all()),
            _status_label(rec.current_status),
            rec.closed_on.isoformat() if rec.closed_on else "",
            request.build_absolute_uri(rec.get_absolute_url()),
        ]
        for rec in recommendations
    ]
    return header, rows


def matrix_rows(request):
    """Header and rows of the matrix, one column per year."""
    filterset, groups = matrix_groups(request)
    _valid(filterset)
    header = [_("Granskning"), _("Beteckning"), _("Lydelse"), *map(str, MATRIX_YEARS)]
    rows = []
    for group in groups:
        for row in group.rows:
            rec = row.recommendation
            cells = [
                f"{_status_label(entry.status)} ({entry.response.board.short_code})"
                if entry
                else ""
                for entry in row.cells
            ]
            rows.append(
                [group.audit.reference or group.audit.title, rec_label(rec), rec.text, *cells]
            )
    return header, rows


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


@require_safe
@require_safe
@_refusing_invalid_filters
def recommendations_csv(request):
    return csv_response(*list_rows(request), _name("rekommendationer"))


@require_safe
@_refusing_invalid_filters
def recommendations_xlsx(request):
    return xlsx_response(*list_rows(request), _name("rekommendationer"), _("Rekommendationer"))


@require_safe
@_refusing_invalid_filters
def matrix_csv(request):
    return csv_response(*matrix_rows(request), _name("matris"))


@require_safe
@_refusing_invalid_filters
def matrix_xlsx(request):
    return xlsx_response(*matrix_rows(request), _name("matris"), _("Matris"))

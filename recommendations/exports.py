"""CSV and Excel (xlsx) exports of the filtered recommendation list and of the matrix.

The exports take the same GET parameters as their pages and contain every matching row
(no pagination). Cells hold text only (status as its Swedish label), so a spreadsheet
formula injection is impossible: values that start with = + - @ are prefixed with '.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .filters import RecommendationFilter, recommendation_queryset
from .status import Status
from .templatetags.status_tags import rec_label
from .timeline import MATRIX_YEARS, build_timeline, with_timeline
from .views import matrix_groups

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(value):
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _status_label(value):
    return str(Status(value).label) if value else _("Inget publicerat svar")


def list_rows(request):
    """Header and rows of the filtered recommendation list. Queries: 2 (+ filter forms)."""
    filterset = RecommendationFilter(
        request.GET, queryset=recommendation_queryset(), request=request
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
                    rec_label(rec),
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
                    rec_label(rec),
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
    _filterset, groups = matrix_groups(request)
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


def _csv(header, rows, name):
    buffer = io.StringIO()
    # A byte-order mark so Excel opens the UTF-8 file with å, ä and ö intact.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows([[_safe(v) for v in row] for row in rows])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _add_sheet(workbook, title, header, rows):
    """A sheet with a bold, frozen header row and an autofilter over its columns."""
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([v if isinstance(v, int) else _safe(v) for v in row])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _xlsx(header, rows, name, title, more_sheets=()):
    """The rows as the first sheet, then each (title, header, rows) of ``more_sheets``."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _add_sheet(workbook, title, header, rows)
    for sheet in more_sheets:
        _add_sheet(workbook, *sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _name(prefix):
    return f"{prefix}-{timezone.localdate().isoformat()}"


def recommendations_csv(request):
    return _csv(*list_rows(request), _name("rekommendationer"))


def recommendations_xlsx(request):
    """The list, then its recommendations' measures and timeline entries."""
    timelines = _timelines(request)
    return _xlsx(
        *list_rows(request),
        _name("rekommendationer"),
        _("Rekommendationer"),
        more_sheets=[
            (_("Åtgärder"), *measure_rows(timelines)),
            (_("Tidslinje"), *timeline_rows(timelines)),
        ],
    )


def matrix_csv(request):
    return _csv(*matrix_rows(request), _name("matris"))


def matrix_xlsx(request):
    return _xlsx(*matrix_rows(request), _name("matris"), _("Matris"))

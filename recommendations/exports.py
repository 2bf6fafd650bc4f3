"""CSV and Excel (xlsx) exports of the filtered recommendation list and of the matrix.

The exports take the same GET parameters as their pages and contain every matching row
(no pagination). Cells hold text only (status as its Swedish label), so a spreadsheet
formula injection is impossible: values that start with = + - @ are prefixed with '.
"""

import csv
import io

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from responses.models import BoardStanding

from .filters import RecommendationFilter, recommendation_queryset
from .status import Status
from .templatetags.status_tags import rec_label
from .timeline import MATRIX_YEARS
from .views import matrix_groups

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(value):
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _status_label(value):
    return str(Status(value).label) if value else _("Inget publicerat svar")


def list_rows(request):
    """Header and rows of the filtered recommendation list. Queries: 3 (+ filter forms)."""
    filterset = RecommendationFilter(
        request.GET, queryset=recommendation_queryset(), request=request
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
            rec_label(rec),
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


def matrix_rows(request):
    """Header and rows of the matrix, one column per year."""
    _filterset, groups = matrix_groups(request)
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
                    rec_label(rec),
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


def csv_response(header, rows, name):
    buffer = io.StringIO()
    # A byte-order mark so Excel opens the UTF-8 file with å, ä and ö intact.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows([[_safe(v) for v in row] for row in rows])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def xlsx_response(header, rows, name, title):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([v if isinstance(v, int | float) else _safe(v) for v in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _name(prefix):
    return f"{prefix}-{timezone.localdate().isoformat()}"


def recommendations_csv(request):
    return csv_response(*list_rows(request), _name("rekommendationer"))


def recommendations_xlsx(request):
    return xlsx_response(*list_rows(request), _name("rekommendationer"), _("Rekommendationer"))


def matrix_csv(request):
    return csv_response(*matrix_rows(request), _name("matris"))


def matrix_xlsx(request):
    return xlsx_response(*matrix_rows(request), _name("matris"), _("Matris"))

"""CSV and Excel (xlsx) exports of the filtered recommendation list and of the matrix.

The exports take the same GET parameters as their pages and contain every matching row
(no pagination). Cells hold text only (status as its Swedish label), so a spreadsheet
formula injection is impossible: values that start with = + - @ are prefixed with '.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from .filters import RecommendationFilter, recommendation_queryset
from .models import Recommendation
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


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, type and meaning, declared once.

    The exports write their header from these, and the field dictionary (``/oppna-data/``)
    and the Table Schemas beside the CSV files are generated from them.
    """

    header: str
    type: str  # a Frictionless Table Schema type: integer, string, date
    description: str
    # The cell's value from (recommendation, request); the matrix builds its rows itself.
    value: Callable | None = field(default=None, compare=False)
    # The allowed values (as written in the file), when there is a fixed vocabulary.
    vocabulary: Callable[[], list[str]] | None = field(default=None, compare=False)


def _status_vocabulary():
    return [str(status.label) for status in Status] + [_("Inget publicerat svar")]


def _kind_vocabulary():
    return [str(label) for label in Recommendation.Kind.labels]


LIST_COLUMNS = [
    Column(
        gettext_lazy("Id"),
        "integer",
        gettext_lazy("Rekommendationens id, samma som i API:t."),
        lambda r, q: r.pk,
    ),
    Column(
        gettext_lazy("Granskning"),
        "string",
        gettext_lazy("Granskningens diarienummer."),
        lambda r, q: r.audit.reference,
    ),
    Column(
        gettext_lazy("Granskningens titel"),
        "string",
        gettext_lazy("Granskningens titel."),
        lambda r, q: r.audit.title,
    ),
    Column(
        gettext_lazy("Beteckning"),
        "string",
        gettext_lazy("Rekommendationens beteckning i granskningen."),
        lambda r, q: rec_label(r),
    ),
    Column(
        gettext_lazy("Typ"),
        "string",
        gettext_lazy("Vad slags punkt det är."),
        lambda r, q: r.get_kind_display(),
        _kind_vocabulary,
    ),
    Column(
        gettext_lazy("Lydelse"),
        "string",
        gettext_lazy("Rekommendationens lydelse."),
        lambda r, q: r.text,
    ),
    Column(
        gettext_lazy("Riktad till"),
        "string",
        gettext_lazy(
            "Förkortningarna för nämnderna som rekommendationen riktas till, åtskilda med komma."
        ),
        lambda r, q: ", ".join(board.short_code for board in r.addressed_to.all()),
    ),
    Column(
        gettext_lazy("Aktuell status"),
        "string",
        gettext_lazy("Nämndens status i det senast publicerade svaret."),
        lambda r, q: _status_label(r.current_status),
        _status_vocabulary,
    ),
    Column(
        gettext_lazy("Avslutad"),
        "date",
        gettext_lazy("Dagen revisionen avslutade rekommendationen; tom om den är öppen."),
        lambda r, q: r.closed_on.isoformat() if r.closed_on else "",
    ),
    Column(
        gettext_lazy("Adress"),
        "string",
        gettext_lazy("Rekommendationens sida med tidslinjen."),
        lambda r, q: q.build_absolute_uri(r.get_absolute_url()),
    ),
]


def matrix_columns():
    """The matrix export's columns: the recommendation, then one per year."""
    return [
        Column(
            gettext_lazy("Granskning"),
            "string",
            gettext_lazy("Granskningens diarienummer, annars dess titel."),
            None,
        ),
        Column(
            gettext_lazy("Beteckning"),
            "string",
            gettext_lazy("Rekommendationens beteckning i granskningen."),
            None,
        ),
        Column(gettext_lazy("Lydelse"), "string", gettext_lazy("Rekommendationens lydelse."), None),
        *(
            Column(
                str(year),
                "string",
                gettext_lazy(
                    "Nämndens status i det senaste svaret det året och nämndens förkortning, "
                    "till exempel «Pågående (ASN)»; tom om inget svar finns."
                ),
                None,
            )
            for year in MATRIX_YEARS
        ),
    ]


def list_rows(request):
    """Header and rows of the filtered recommendation list. Queries: 2 (+ filter forms)."""
    filterset = RecommendationFilter(
        request.GET, queryset=recommendation_queryset(), request=request
    )
    recommendations = filterset.qs.select_related("audit").prefetch_related("addressed_to")
    header = [str(column.header) for column in LIST_COLUMNS]
    rows = [[column.value(rec, request) for column in LIST_COLUMNS] for rec in recommendations]
    return header, rows


def matrix_rows(request):
    """Header and rows of the matrix, one column per year."""
    _filterset, groups = matrix_groups(request)
    header = [str(column.header) for column in matrix_columns()]
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


def _xlsx(header, rows, name, title):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([v if isinstance(v, int) else _safe(v) for v in row])
    sheet.freeze_panes = "A2"
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
    return _xlsx(*list_rows(request), _name("rekommendationer"), _("Rekommendationer"))


def matrix_csv(request):
    return _csv(*matrix_rows(request), _name("matris"))


def matrix_xlsx(request):
    return _xlsx(*matrix_rows(request), _name("matris"), _("Matris"))

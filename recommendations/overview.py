"""Overviews: the start page's figures (counts by status per audit and board, status per
year) and the auditors' matrix with its filter, for the matrix page and its exports.

Each function reads a fixed number of small value lists and counts in Python, so the
start page costs the same number of queries however much is tracked; the matrix's
queries are ``with_matrix_entries``' (``timeline.py``, which builds its rows).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from operator import attrgetter

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from responses.models import BoardStanding, ResponseEntry

from .charts import Chart, stacked_bars, status_category
from .filters import MatrixFilter
from .models import Audit, Board, Recommendation
from .municipal import current_municipality
from .status import Status
from .timeline import MATRIX_YEARS, build_matrix, with_matrix_entries

# Column order of the status tables and the chart: the vocabulary's display order.
STATUS_ORDER = sorted(Status, key=attrgetter("rank"))


@dataclass
class StatusRow:
    """A row of a status table: an audit or a board and its recommendations per status."""

    subject: object
    counts: list  # one number per column
    unanswered: int
    total: int


def status_table(rows_by_subject, subjects):
    """Rows for ``subjects`` from {subject pk: Counter(status value or None)}."""
    rows = []
    for subject in subjects:
        counter = rows_by_subject.get(subject.pk)
        if not counter:
            continue
        rows.append(
            StatusRow(
                subject=subject,
                counts=[counter.get(status.value, 0) for status in STATUS_ORDER],
                unanswered=counter.get(None, 0),
                total=sum(counter.values()),
            )
        )
    return rows


def status_by_audit_and_board(municipality=None):
    """(rows per audit, rows per board) of current status counts. Queries: 4.

    Per audit: the recommendations' own status. Per board: each board's own status on
    the recommendations it must answer, never another board's. Both are counted by the
    database from the stored standings (GROUP BY), however much is tracked.
    """
    by_audit = defaultdict(Counter)
    per_audit = (
        Recommendation.objects.in_municipality(municipality)
        .order_by()
        .values_list("audit_id", "current_status")
        .annotate(n=Count("pk"))
    )
    for audit_id, status, n in per_audit:
        by_audit[audit_id][status or None] += n
    by_board = defaultdict(Counter)
    per_board = (
        BoardStanding.objects.in_municipality(municipality)
        .order_by()
        .values_list("board_id", "status")
        .annotate(n=Count("pk"))
    )
    for board_id, status, n in per_board:
        by_board[board_id][status or None] += n
    audits = (
        Audit.objects.filter(pk__in=list(by_audit))
        .select_related("municipality")
        .order_by("reference", "title")
    )
    boards = Board.objects.filter(pk__in=list(by_board)).select_related("municipality")
    boards = boards.order_by("name")
    return status_table(by_audit, audits), status_table(by_board, boards)


def status_per_year(user, municipality=None) -> Chart:
    """Stacked bars: per year, the boards' answers by status (visible answers). Queries: 1.

    A response counts in the year of its decision date, else of its document's date.
    """
    rows = (
        ResponseEntry.objects.visible_to(user)
        .in_municipality(municipality)
        .values_list("status", "response__decision_date", "response__document_date")
    )
    counts = defaultdict(Counter)
    for status, decided, documented in rows:
        date = decided or documented
        if date and date.year in MATRIX_YEARS:
            counts[date.year][status] += 1
    return stacked_bars(
        _("Status per år"),
        [status_category(status) for status in STATUS_ORDER],
        [
            (
                str(year),
                dict(counts.get(year, {})),
                ngettext("%(n)s svar", "%(n)s svar", total) % {"n": total},
            )
            for year in MATRIX_YEARS
            for total in [sum(counts.get(year, Counter()).values())]
        ],
    )


def matrix_groups(request, *, whole_country=True):
    """The matrix filter and its rows grouped by audit (shared with the exports). Rows
    None: ``whole_country`` is False and on a national page neither a municipality, a
    board nor an audit is chosen."""
    filterset = MatrixFilter(request.GET, request=request)
    if not whole_country and current_municipality(request) is None:
        chosen = filterset.form.cleaned_data if filterset.is_valid() else {}
        if not any(chosen.get(name) for name in ("municipality", "board", "audit")):
            return filterset, None
    recommendations = with_matrix_entries(filterset.qs, request.user)
    return filterset, build_matrix(
        recommendations, as_of=filterset.as_of, board=filterset.chosen_board
    )

"""Figures for the start page: counts by status per audit and board, and status per year.

Each function reads a fixed number of small value lists and counts in Python, so the
start page costs the same number of queries however much is tracked.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from operator import attrgetter

from django.db.models import Count

from responses.models import BoardStanding, ResponseEntry

from .models import Audit, Board, Recommendation
from .status import Status
from .timeline import MATRIX_YEARS

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


def status_by_audit_and_board():
    """(rows per audit, rows per board) of current status counts. Queries: 4.

    Per audit: the recommendations' own status. Per board: each board's own status on
    the recommendations it must answer, never another board's. Both are counted by the
    database from the stored standings (GROUP BY), however much is tracked.
    """
    by_audit = defaultdict(Counter)
    per_audit = (
        Recommendation.objects.order_by()
        .values_list("audit_id", "current_status")
        .annotate(n=Count("pk"))
    )
    for audit_id, status, n in per_audit:
        by_audit[audit_id][status or None] += n
    by_board = defaultdict(Counter)
    per_board = (
        BoardStanding.objects.order_by().values_list("board_id", "status").annotate(n=Count("pk"))
    )
    for board_id, status, n in per_board:
        by_board[board_id][status or None] += n
    audits = Audit.objects.filter(pk__in=list(by_audit)).order_by("reference", "title")
    boards = Board.objects.filter(pk__in=list(by_board)).order_by("name")
    return status_table(by_audit, audits), status_table(by_board, boards)


@dataclass
class BarSegment:
    status: Status
    count: int
    x: float
    width: float

    @property
    def text_x(self):
        return round(self.x + self.width / 2, 2)

    @property
    def fits_label(self):
        return self.width >= 34


@dataclass
class Bar:
    year: int
    total: int
    segments: list
    y: int

    @property
    def text_y(self):
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def end_x(self):
        last = self.segments[-1] if self.segments else None
        return round((last.x + last.width if last else LABEL_WIDTH) + 8, 2)


BAR_HEIGHT = 30
BAR_GAP = 12
LABEL_WIDTH = 56
BAR_WIDTH = 480


def status_per_year(user):
    """Stacked bars: per year, the boards' answers by status (visible answers). Queries: 1.

    Geometry is in SVG user units: years left, the longest bar BAR_WIDTH wide, totals right.
    """
    rows = ResponseEntry.objects.visible_to(user).values_list(
        "status", "response__decision_date", "response__document_date"
    )
    counts = defaultdict(Counter)
    for status, decided, documented in rows:
        date = decided or documented
        if date and date.year in MATRIX_YEARS:
            counts[date.year][status] += 1
    longest = max((sum(c.values()) for c in counts.values()), default=0) or 1
    bars = []
    for index, year in enumerate(MATRIX_YEARS):
        counter = counts.get(year, Counter())
        x = 0.0
        segments = []
        for status in STATUS_ORDER:
            n = counter.get(status.value, 0)
            if n:
                width = BAR_WIDTH * n / longest
                segments.append(BarSegment(status, n, round(LABEL_WIDTH + x, 2), round(width, 2)))
                x += width
        bars.append(Bar(year, sum(counter.values()), segments, index * (BAR_HEIGHT + BAR_GAP)))
    return bars, len(bars) * (BAR_HEIGHT + BAR_GAP)

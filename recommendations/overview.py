"""Overviews: the start page's figures (counts by status per audit and board, status per
year) and the auditors' matrix with its filter, for the matrix page and its exports.

Each function reads a fixed number of small value lists and counts in Python, so the
start page costs the same number of queries however much is tracked; the matrix's
queries are ``matrix_recommendations``' (``timeline.py``, which builds its rows).
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from operator import attrgetter

from django.conf import settings
from django.db.models import Count
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from auditfollowup.lib.content_tags import content_marker, mark_content
from auditfollowup.lib.number_tags import grouped_number
from auditfollowup.lib.urls import reverser
from responses.models import BoardStanding, Response, ResponseEntry

from . import roles
from .charts import Chart, stacked_bars, status_category
from .filters import MatrixFilter
from .models import Audit, Board, Recommendation
from .municipal import current_municipality, url_for_each_municipality
from .status import Status
from .templatetags.board_tags import board_abbr
from .templatetags.recommendation_tags import (
    audit_name,
    case_number,
    closed_tag,
    recommendation_name,
)
from .templatetags.status_tags import status_badge
from .timeline import NOT_DUE, build_matrix, matrix_recommendations, matrix_years

# Column order of the status tables and the chart: the vocabulary's display order.
STATUS_ORDER = sorted(Status, key=attrgetter("rank"))
STATUS_VALUES = [status.value for status in STATUS_ORDER]


def first_words(text: str, count: int = 8) -> str:
    """``text``'s first ``count`` words followed by " …" when it has more, its words joined
    by single spaces: ``Truncator(text).words(count, truncate=" …")``, as a table's rows
    cut an audit's title or a recommendation's wording. Written out because the rows ask
    for it some hundred times a page, and Django's ``Truncator`` is a lazy object whose
    wrapping cost about thirty calls per text, more than the cutting."""
    words = text.split()
    if len(words) <= count:
        return " ".join(words)
    cut = " ".join(words[:count])
    # Truncator does not add the ellipsis to a text already ending in it.
    return cut if cut.endswith(" …") else f"{cut} …"


@dataclass
class StatusRow:
    """A row of a status table: an audit (its reference and title) or a board (its name),
    its page, and its recommendations per status."""

    pk: int  # the audit's or the board's
    url: str
    counts: list  # one number per column
    unanswered: int
    total: int
    reference: str = ""
    title: str = ""
    name: str = ""
    mark_content: Callable[[str], str] = mark_content  # status_table's, asked once

    @property
    def html(self) -> str:
        """The row's ``<tr>``, every value escaped: an audit's reference and its title's
        first eight words (a board: its name), linked to its page, then the counts, a
        dash for none. Built here, not by the template, for the reason ``NationalRow``
        gives: a municipality's start page has a row per audit, some seventy."""
        if self.title:
            # An audit's title is written in the documents' language (a board's name is
            # a proper name, left unmarked): marked as such on an English page.
            label = self.mark_content(escape(first_words(self.title)))
        else:
            label = escape(self.name)
        if self.reference:
            label = f"{case_number(self.reference)} {label}"
        cells = [f'<th scope="row"><a href="{escape(self.url)}">{label}</a></th>']
        for n in (*self.counts, self.unanswered):
            cells.append(f'<td class="num">{grouped_number(n) if n else "–"}</td>')
        cells.append(f'<td class="num"><strong>{grouped_number(self.total)}</strong></td>')
        return mark_safe(f"<tr>{''.join(cells)}</tr>")  # noqa: S308 (each value escaped above)


class StatusTable(list):
    """A status table's rows (``StatusRow``), with ``html``: all of them as the template
    wrote them, a line each, where its loop looked up and wrote each row in turn (some
    seventy on a municipality's start page, thirty calls each)."""

    @property
    def html(self) -> str:
        return mark_safe("".join(f"\n      {row.html}\n    " for row in self))  # noqa: S308 (rows escape)


def status_table(rows_by_subject, subjects) -> StatusTable:
    """Rows for ``subjects``, the values of audits or boards (their ``pk``, their
    municipality's slug and what a row names them by), from {subject pk:
    Counter(status value or None)}."""
    rows = StatusTable()
    marker, url = content_marker(), subjects.model.url_for_each()
    for subject in subjects:
        slug = subject.pop("municipality__slug")
        counter = rows_by_subject.get(subject["pk"])
        if not counter:
            continue
        rows.append(
            StatusRow(
                url=url(slug, subject["pk"]),
                counts=[counter.get(value, 0) for value in STATUS_VALUES],
                unanswered=counter.get(None, 0),
                total=sum(counter.values()),
                mark_content=marker,
                **subject,
            )
        )
    return rows


def status_by_audit_and_board(municipality=None):
    """(rows per audit, rows per board) of current status counts. Queries: 4.

    Per audit: the recommendations' own status. Per board: each board's own status on
    the recommendations it counts among the boards of (``counts_for_recommendation``:
    it must answer them, or has answered all the same), never another board's. Both are
    counted by the database from the stored standings (GROUP BY), however much is tracked.
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
        .counting_for_recommendation()
        .order_by()
        .values_list("board_id", "status")
        .annotate(n=Count("pk"))
    )
    for board_id, status, n in per_board:
        by_board[board_id][status or None] += n
    # Read as values, with only what a row names them by (``StatusRow``): a
    # municipality's seventy audits were read with their summaries and conclusions, and
    # each with a copy of its municipality, for a reference, a title and the slug of
    # their links; as model instances, even of those three columns, they were a twentieth
    # of the start page's calls. Beneath a municipality its audits are read whole (one
    # without recommendations has no row) rather than by a list of seventy ids that
    # Django prepares one by one.
    if municipality is not None:
        audits, boards = municipality.audits.all(), municipality.boards.all()
    else:
        audits, boards = Audit.objects.filter(pk__in=list(by_audit)), Board.objects.all()
    audits = audits.order_by("reference", "title").values(
        "pk", "municipality__slug", "reference", "title"
    )
    boards = (
        boards.filter(pk__in=list(by_board))
        .order_by("name")
        .values("pk", "municipality__slug", "name")
    )
    return status_table(by_audit, audits), status_table(by_board, boards)


def status_per_year(user, municipality=None) -> Chart:
    """Stacked bars: per year, the boards' answers by status (visible answers). Queries: 1,
    counted by the database (GROUP BY year and status), however many answers there are.

    A response counts in the year of its decision date, else of its document's date.
    """
    years = matrix_years()
    rows = (
        ResponseEntry.objects.visible_to(user)
        .in_municipality(municipality)
        .annotate(year=Response.year_expression("response__"))
        .filter(year__in=years)
        .order_by()
        .values_list("year", "status")
        .annotate(n=Count("pk"))
    )
    counts = defaultdict(Counter)
    for year, status, n in rows:
        counts[year][status] += n
    return stacked_bars(
        _("Status per år"),
        [status_category(status) for status in STATUS_ORDER],
        [
            (
                str(year),
                dict(counts.get(year, {})),
                ngettext("%(n)s svar", "%(n)s svar", total) % {"n": grouped_number(total)},
            )
            for year in years
            for total in [sum(counts.get(year, Counter()).values())]
        ],
    )


# What the matrix page reads of each recommendation, its audit and its municipality
# (``timeline.matrix_lines`` and ``MatrixRowWriter``): a board's hundred rows were read
# with every column of the three tables, and each row's copy of its audit and
# municipality built from them. A column the page comes to read goes here, or every row
# asks a query of its own for it (the tests pin the page's query count). The exports
# read the recommendations themselves, whole (``exports.py``).
MATRIX_COLUMNS = (
    "position",
    "label",
    "kind",
    "text",
    "closed_on",
    "audit__reference",
    "audit__title",
    "audit__conducted_from_date",
    "audit__conducted_from_precision",
    "audit__conducted_to_date",
    "audit__conducted_to_precision",
    "audit__municipality__slug",
)


def matrix_groups(request, *, whole_country=True):
    """The matrix filter and its rows grouped by audit, a cell per year of the filter's
    ``years``: the filter decides which audits and years there were as of its day, for
    the page as for the exports. Rows None: ``whole_country`` is False and on a national
    page neither a municipality, a board nor an audit is chosen."""
    filterset = MatrixFilter(request.GET, request=request)
    if not whole_country and current_municipality(request) is None:
        chosen = filterset.form.cleaned_data if filterset.is_valid() else {}
        if not any(chosen.get(name) for name in ("municipality", "board", "audit")):
            return filterset, None
    recommendations = matrix_recommendations(
        filterset.qs.only(*MATRIX_COLUMNS), request.user, filterset.chosen_board
    )
    return filterset, build_matrix(
        recommendations,
        as_of=filterset.as_of,
        years=filterset.years,
        board=filterset.chosen_board,
    )


class MatrixRowWriter:
    """The matrix's rows as HTML, for one user: what the template wrote per cell, built
    here for the reason ``NationalRow`` gives (a board's matrix is a hundred rows of eight
    cells, each a dozen variables and two badges, most of the page's time).

    Each text is translated once, and each badge (``status_badge``) and each board's link
    (``board_abbr``, ``Board.get_absolute_url``) made once per page, where every row
    asked for its own: a board's matrix shows one board on each of its hundred rows, and
    those two were a third of the rows' time. A closed recommendation's tag is the lists'
    own (``closed_tag``); whether the user may assess is asked once per municipality
    (``roles.may_assess``, the one home of that rule)."""

    def __init__(self, user):
        self.user = user
        self._may_assess = {}
        self.board_status = _("Nämndens status")
        self.assessment = _("Revisionens bedömning")
        # Each text outside its f-string: makemessages does not look inside one.
        disagrees, no_answer = escape(_("Annan bedömning")), escape(_("inget svar"))
        self.disagrees = f' <span class="tag tag-disagree">{disagrees}</span>'
        # Seen, not read: the badge itself names whose status it is to a screen reader.
        whose = escape(_("Revisionen:"))
        self.whose_assessment = f'<span class="cell-who" aria-hidden="true">{whose}</span> '
        self.no_answer = (
            '<span class="muted" aria-hidden="true">·</span>'
            f'<span class="visually-hidden">{no_answer}</span>'
        )
        # A year before the audit: never due, so not a missing answer.
        not_due = escape(_("ej aktuellt: före granskningen"))
        self.not_due = (
            '<span class="muted" aria-hidden="true">–</span>'
            f'<span class="visually-hidden">{not_due}</span>'
        )
        self.record = escape(_("Registrera bedömning"))
        self.assess = escape(_("Bedöm"))
        self.in_round = _("omgång %(sequence)s")
        self.content_language = settings.CONTENT_LANGUAGE
        self.mark_content = content_marker()
        self._badges = {}
        self._board_links = {}
        # Each row's links with their patterns looked up once (``reverser``).
        self.recommendation_url = Recommendation.url_for_each()
        self.assess_url = reverser("auditors:assess", 1)

    def badge(self, status: str, prefix: str) -> str:
        """``status_badge`` of a stored status value, made once per page."""
        badge = self._badges.get((status, prefix))
        if badge is None:
            badge = self._badges[status, prefix] = status_badge(status, prefix)
        return badge

    def board_link(self, board) -> str:
        """The board's short name (``board_abbr``), linked to its page; made once per page."""
        link = self._board_links.get(board.pk)
        if link is None:
            url = escape(board.get_absolute_url())
            link = self._board_links[board.pk] = f'<a href="{url}">{board_abbr(board)}</a>'
        return link

    def may_assess(self, recommendation) -> bool:
        municipality_id = recommendation.audit.municipality_id
        if municipality_id not in self._may_assess:
            self._may_assess[municipality_id] = roles.may_assess(self.user, municipality_id)
        return self._may_assess[municipality_id]

    def row(self, row) -> str:
        recommendation = row.recommendation
        name = recommendation_name(recommendation, self.mark_content)
        may_assess = self.may_assess(recommendation)
        assess_url = self.assess_url(recommendation.pk) if may_assess else ""
        if row.is_first:
            text = first_words(recommendation.text)
            slug = recommendation.audit.municipality.slug
            head = (
                f'<a href="{escape(self.recommendation_url(slug, recommendation.pk))}">{name}</a>'
                f' <span class="muted small" lang="{self.content_language}">{escape(text)}</span>'
            )
            if row.is_closed:
                # A closed recommendation (as known on the matrix's day) is no longer
                # followed up: its empty later years are not missing answers.
                head += f" {closed_tag(recommendation)}"
            if may_assess:
                head += (
                    f' <a class="cell-assess" href="{escape(assess_url)}">{self.record}'
                    f'<span class="visually-hidden"> {name}</span></a>'
                )
        else:
            head = f'<span class="visually-hidden">{name}, </span>'
        if row.board and (row.span > 1 or row.is_first):
            arrow = "" if row.is_first else '<span aria-hidden="true">↳ </span>'
            head += f'<span class="board-name"> {arrow}{self.board_link(row.board)}</span>'
        cells = [f'<th scope="row">{head}</th>']
        for cell in row.cells:
            if cell is None or cell is NOT_DUE:
                empty = self.no_answer if cell is None else self.not_due
                cells.append(f'<td class="cell">{empty}</td>')
                continue
            answer, assessment = cell.answer, cell.assessment
            html = self.badge(answer.status, self.board_status) if answer else self.no_answer
            if assessment:
                html += '<span class="cell-assessment">' + self.whose_assessment
                html += self.badge(assessment.status, self.assessment)
                html += (self.disagrees if cell.disagrees else "") + "</span>"
            if may_assess:
                where = self.in_round % {"sequence": cell.round_sequence}
                html += (
                    f'<a class="cell-assess" href="{escape(assess_url)}?omgang='
                    f'{cell.round_id}">{self.assess}<span class="visually-hidden"> '
                    f"{name}, {escape(where)}</span></a>"
                )
            cells.append(f'<td class="cell">{html}</td>')
        line = ' class="board-line"' if row.board else ""
        return mark_safe(f"<tr{line}>{''.join(cells)}</tr>")  # noqa: S308 (each value escaped above)


def write_matrix_rows(groups, user, years) -> list[str]:
    """Give every row of the matrix its ``html`` (``MatrixRowWriter``) for ``user``, and
    return what each group's ``<tbody>`` holds: its audit's heading row across the
    ``years`` and the rest, then its rows, as the page's lines are indented. Written here
    for the rows' reason: the template's look-ups per group and per row were a tenth of
    the page."""
    writer = MatrixRowWriter(user)
    tbodies = []
    for group in groups or ():
        audit = group.audit
        lines = [
            f'<tr class="group-row"><th scope="colgroup" colspan="{len(years) + 1}"><a href="'
            f'{escape(audit.get_absolute_url())}">{audit_name(audit, mark=writer.mark_content)}'
            "</a></th></tr>\n    "
        ]
        for row in group.rows:
            row.html = writer.row(row)
            lines += [row.html, "\n    "]
        tbodies.append(mark_safe("".join(lines)))  # noqa: S308 (each value escaped)
    return tbodies


@dataclass
class NationalRow:
    """A municipality's row on the national page, as the text its cells show."""

    name: str
    url: str
    report_url: str  # "" when it has no audits
    audits: str
    recommendations: str
    implemented: str  # the share implemented today
    acted: list  # per number of years: (share, "(acted av measurable)" or "")
    with_years: bool  # an audit year is shown: its shares and the report's link
    report_label: str

    @property
    def html(self) -> str:
        """The row's ``<tr>``, every value escaped. Built here, as Django's admin builds
        its change list rows: 290 rows of a dozen template variables (or ``format_html``
        calls) each were most of the page's time; ``html.escape`` is what Django's own
        ``escape`` runs, without its lazy-string check per value."""
        cells = [f'<th scope="row"><a href="{escape(self.url)}">{escape(self.name)}</a></th>']
        if self.with_years:
            for share_text, out_of in self.acted:
                detail = f' <span class="muted small">{escape(out_of)}</span>' if out_of else ""
                cells.append(f'<td class="num">{escape(share_text)}{detail}</td>')
        for value in (self.audits, self.recommendations, self.implemented):
            cells.append(f'<td class="num">{escape(value)}</td>')
        if self.with_years:
            link = ""
            if self.report_url:
                link = (
                    f'<a href="{escape(self.report_url)}">{escape(self.report_label)}'
                    f'<span class="visually-hidden"> {escape(self.name)}</span></a>'
                )
            cells.append(f'<td class="report-link">{link}</td>')
        return mark_safe(f"<tr>{''.join(cells)}</tr>")  # noqa: S308 (each value escaped above)


def national_rows(
    municipalities, acted: dict, *, with_years: bool, report_year: int
) -> list[NationalRow]:
    """The national page's rows from the counts kept on write (``Municipality``) and
    ``acted_in_cohort``'s shares, as text: the patterns are translated once and each URL
    is reversed once for all municipalities (``url_for_each_municipality``); counts are
    grouped as the page's language groups them (``grouped_number``)."""
    from reports.figures import YEARS_ACTED, percents, share

    percent = percents()
    home = url_for_each_municipality("municipal:home")
    report = url_for_each_municipality("reports:council_report", report_year)
    out_of = _("(%(acted)s av %(measurable)s)")
    report_label = _("Rapport")
    rows = []
    for municipality in municipalities:
        shares = acted.get(municipality.pk)
        rows.append(
            NationalRow(
                name=municipality.name,
                url=home(municipality.slug),
                report_url=report(municipality.slug) if municipality.audit_count else "",
                audits=grouped_number(municipality.audit_count),
                recommendations=grouped_number(municipality.recommendation_count),
                implemented=percent(
                    share(municipality.implemented_count, municipality.recommendation_count)
                ),
                acted=[
                    (
                        percent(item.share),
                        out_of
                        % {
                            "acted": grouped_number(item.acted),
                            "measurable": grouped_number(item.measurable),
                        }
                        if item.measurable
                        else "",
                    )
                    for item in shares
                ]
                if shares
                else [("–", "")] * len(YEARS_ACTED),
                with_years=with_years,
                report_label=report_label,
            )
        )
    return rows

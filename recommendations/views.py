"""Public pages: start, recommendation list and page, audit, board, the auditors' matrix.

Every view reads answers through ``Response.objects.visible_to(request.user)`` (directly or
via ``timeline.timeline_recommendations``/``matrix_recommendations``), so drafts stay with
their authors.
"""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from reports.figures import (
    YEARS_ACTED,
    acted_in_cohort,
    cohort_years,
    default_cohort,
)
from reports.forms import CohortForm
from responses.models import BoardStanding, Measure, Response

from . import attention, overview, roles
from .filters import RecommendationFilter, active_filters
from .history import change_history_for_recommendation
from .models import Audit, Board, Municipality, Recommendation
from .municipal import current_municipality
from .roles import Public, access
from .timeline import build_timeline, timeline_recommendations

PAGE_SIZE = 25


class CappedPaginator(Paginator):
    """Counts the rows only up to ``cap``: a broad search of the whole country matches
    tens of thousands of recommendations, and counting them all was most of the page's
    time (the first pages need no more than the first rows). Beyond the cap the page
    says "more than" and pages through the first ``cap``; the exports and the API still
    hold and count them all."""

    cap = 1000
    is_capped = False

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.is_capped = found > self.cap
        return min(found, self.cap)

    def asked_page(self, number):
        """The page a query's ``page`` asks for, the first when it asks none; not found
        (404) for anything but one of the list's page numbers, as the API refuses it:
        Django's ``get_page`` showed the first page for ``page=-1`` and the last for a
        page past it, under an address naming another page."""
        try:
            return self.page(number or 1)
        except InvalidPage as invalid:
            raise Http404(invalid) from invalid


@access(Public)
@require_safe
def national_home(request):
    """``/``: every municipality with its counts and, for one audit year (``?ar=``), the
    share of its recommendations acted on within one, two and three years (the council
    report's figures). With one municipality, its start page. Queries: 4, each reading
    what was counted on write: the municipalities with their counts, the audit years
    (2), the shares of one year.

    One row per municipality, one audit year at a time: the comparison a reader makes
    across the country is between municipalities, for audits equally old. Every year of
    every municipality at once was thousands of rows (megabytes, seconds to compute) that
    no phone shows; each municipality's council report, linked from its row, holds all
    its years, and the year can be changed here.
    """
    municipalities = list(Municipality.objects.order_by("name"))
    if len(municipalities) == 1:
        return redirect("municipal:home", municipalities[0].slug)
    today = timezone.localdate()
    years = cohort_years()
    form = CohortForm(request.GET, years=years)
    cohort = form.cohort(default_cohort(years, today))
    acted = acted_in_cohort(cohort) if cohort is not None else {}
    rows = overview.national_rows(
        municipalities, acted, with_years=cohort is not None, report_year=today.year
    )
    return render(
        request,
        "recommendations/national.html",
        {
            "rows": rows,
            "years_acted": YEARS_ACTED,
            "form": form,
            "years": years,
            "cohort": cohort,
        },
        status=filter_status(form),
    )


# What the start page's lists of recent responses and overdue measures show of each row
# and of the rows joined to it (``home.html``), read alone: the columns of four or five
# joined tables were most of the time Django took to write the two lists' queries and
# to build their rows. A column the page comes to show goes here, or every row asks a
# query of its own for it (the tests pin the page's query count).
HOME_RECENT_COLUMNS = (
    "title",
    "title_inference",
    "decision_date",
    "document_date",
    "document_precision",
    "document_inference",
    "board__name",
    "board__municipality__slug",
    "round__audit__reference",
    "round__audit__title",
)
HOME_OVERDUE_COLUMNS = (
    "title",
    "due_date",
    "due_precision",
    "due_inference",
    "recommendation__audit__reference",
    "recommendation__audit__title",
    "recommendation__audit__municipality__slug",
    "board__name",
    "board__short_code",
)


@access(Public)
@require_safe
def home(request):
    """A municipality's start page (``/<slug>/``)."""
    municipality = current_municipality(request)
    today = timezone.localdate()
    by_audit, by_board = overview.status_by_audit_and_board(municipality)
    chart = overview.status_per_year(request.user, municipality)
    visible = Response.objects.visible_to(request.user).in_municipality(municipality)
    overdue = Measure.objects.visible_to(request.user).in_municipality(municipality).overdue(today)
    context = {
        "municipality": municipality,
        "counts": {
            # Counted on write (refresh_municipality_counts), as the national page reads them.
            "audits": municipality.audit_count,
            "recommendations": municipality.recommendation_count,
            "responses": visible.count(),
        },
        "status_order": overview.STATUS_ORDER,
        "by_audit": by_audit,
        "by_board": by_board,
        "chart": chart,
        # The council report of each municipality that has audits (reports/).
        "report_municipalities": [municipality],
        # A link to how it compares with the others, where there are others.
        "compared_nationally": Municipality.objects.compared_nationally(),
        "recent": visible.select_related("board__municipality", "round__audit")
        .only(*HOME_RECENT_COLUMNS)
        .latest_published(6),
        "overdue": overdue.due_first(10)
        .select_related("recommendation__audit__municipality", "board")
        .only(*HOME_OVERDUE_COLUMNS),
        "overdue_count": overdue.count(),
        "today": today,
    }
    return render(request, "recommendations/home.html", context)


@access(Public)
@require_safe
def recommendation_list(request):
    filterset = RecommendationFilter(request.GET, request=request)
    # The boards in a list of their own (to_attr): see timeline.read_timelines() for why.
    results = (
        filterset.with_board_status(filterset.qs)
        .select_related("audit__municipality")
        .prefetch_related(Prefetch("addressed_to", to_attr="listed_addressed_to"))
    )
    page = CappedPaginator(results, PAGE_SIZE).asked_page(request.GET.get("page"))
    if filterset.chosen_board is not None:
        # Each row shows the board's standing as every page does (``standing_status``),
        # read from the row's columns.
        for recommendation in page.object_list:
            recommendation.chosen_board_standing = filterset.chosen_board_standing(recommendation)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "recommendations/recommendation_list.html",
        {
            "filter": filterset,
            "chosen_board": filterset.chosen_board,
            "page": page,
            "active_filters": active_filters(filterset, request.GET),
            "query": query.urlencode(),
        },
        status=filter_status(filterset),
    )


@access(Public)
@require_safe
def recommendation_detail(request, pk):
    """Queries: the timeline's (``timeline_recommendations``); for staff and auditors also
    the change history's (``change_history_for_recommendation``), both constant."""
    found = Recommendation.objects.in_municipality(current_municipality(request)).filter(pk=pk)
    recommendation = next(timeline_recommendations(found, request.user), None)
    if recommendation is None:
        raise Http404
    timeline = build_timeline(recommendation, timezone.localdate())
    context = {
        "recommendation": recommendation,
        "timeline": timeline,
        "today": timezone.localdate(),
        "may_assess": roles.may_assess(request.user, recommendation.audit.municipality_id),
    }
    if roles.may_see_history(request.user):
        context["changes"] = change_history_for_recommendation(recommendation, request.user)
    return render(request, "recommendations/recommendation_detail.html", context)


@access(Public)
@require_safe
def audit_detail(request, pk):
    visible = Response.objects.visible_to(request.user).select_related("board__municipality")
    audit = get_object_or_404(
        Audit.objects.in_municipality(current_municipality(request))
        .select_related("auditor", "municipality")
        .prefetch_related(
            Prefetch("audited_boards", queryset=Board.objects.select_related("municipality")),
            "source_documents",
            Prefetch(
                "rounds__responses", queryset=visible.order_by("board__name"), to_attr="visible"
            ),
        ),
        pk=pk,
    )
    recommendations = (
        Recommendation.objects.filter(audit=audit)
        .select_related("audit__municipality")
        .prefetch_related("addressed_to")
        .order_by("position")
    )
    may_assess = roles.may_assess(request.user, audit.municipality_id)
    if may_assess:
        # The auditors see whom an open round still waits for: whether an answer was
        # handed in is theirs to read (a draft is the board's own), not the public's.
        waiting = attention.waiting_boards(audit.rounds.filter(is_open=True))
        for round_ in audit.rounds.all():
            round_.waiting_boards = waiting.get(round_.pk, [])
    return render(
        request,
        "recommendations/audit_detail.html",
        {"audit": audit, "recommendations": recommendations, "may_assess": may_assess},
    )


@access(Public)
@require_safe
def board_detail(request, pk):
    board = get_object_or_404(
        Board.objects.in_municipality(current_municipality(request)).select_related("municipality"),
        pk=pk,
    )
    today = timezone.localdate()
    # The board's own standing on each recommendation it answers (must answer, or has
    # answered all the same): its status, never another board's; an addressee that
    # leaves the answer to another board has nothing to answer here.
    standings = (
        BoardStanding.objects.filter(board=board)
        .counting_for_recommendation()
        .select_related("recommendation__audit__municipality", "round")
        .order_by(
            "recommendation__audit__reference",
            "recommendation__audit_id",
            "recommendation__position",
        )
    )
    responses = (
        Response.objects.visible_to(request.user)
        .filter(board=board)
        .select_related("board__municipality", "round__audit")
        .newest_first()
    )
    overdue = (
        Measure.objects.visible_to(request.user)
        .overdue(today)
        .filter(board=board)
        .select_related("recommendation__audit__municipality")
        .order_by("due_date", "pk")
    )
    return render(
        request,
        "recommendations/board_detail.html",
        {
            "board": board,
            "audits": board.audits.select_related("municipality").order_by("reference"),
            "standings": standings,
            "responses": responses,
            "overdue": overdue,
            "today": today,
        },
    )


@access(Public)
@require_safe
def matrix(request):
    """Nationally the matrix waits for a municipality, board or audit to be chosen: every
    recommendation of the country is some hundred megabytes of table, minutes to build,
    that nobody reads. Its downloads wait too, as a reader expects them to hold the table
    the page shows; the whole country's files, which the exports still give, are offered
    on the open-data page."""
    filterset, groups = overview.matrix_groups(request, whole_country=False)
    years = list(filterset.years)
    tbodies = overview.write_matrix_rows(groups, request.user, years)
    return render(
        request,
        "recommendations/matrix.html",
        {
            "filter": filterset,
            "groups": groups,
            "tbodies": tbodies,
            "years": years,
            "as_of": filterset.as_of,
            # What a printed matrix is of, its form left out; its day the notice says.
            "active_filters": active_filters(filterset, request.GET, leave_out=("sort", "per")),
            "query": request.GET.urlencode(),
            "choose_first": groups is None,
        },
        status=filter_status(filterset),
    )


def filter_status(filtering) -> int:
    """400 for an invalid filter (the page shows the errors and nothing computed from
    another filter), as the exports and API do; 200 otherwise. ``filtering`` is a
    FilterSet or a filter's form: the list and the matrix, *Att granska*'s day and the
    assessment page's round. A form left unbound (no filter asked) is no refusal."""
    return 200 if not filtering.is_bound or filtering.is_valid() else 400

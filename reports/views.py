"""The council report: the page, its PDF for the council meeting, xlsx and CSV.

Public: it shows published material only (``reports.figures``), the same for every
reader, so no role check is needed beyond the municipality existing.
"""

import datetime as dt
from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from auditfollowup.lib.dates import YEARS
from auditfollowup.lib.spreadsheets import csv_response, refused_export
from recommendations.models import Municipality
from recommendations.roles import Public, access

from . import exports
from .figures import build_report, first_cohorts
from .forms import AsOfForm


@access(Public)
@require_safe
def report_index(request):
    """Every municipality with the years it has reports for: from the first audit year
    its report counts (``figures.first_cohorts``) to this year. Queries: 2."""
    today = timezone.localdate()
    first_years = {pk: year for pk, year in first_cohorts().items() if year <= today.year}
    municipalities = [
        (municipality, list(range(today.year, first_years[municipality.pk] - 1, -1)))
        for municipality in Municipality.objects.filter(pk__in=list(first_years))
    ]
    return render(request, "reports/index.html", {"municipalities": municipalities})


def _report(request, slug, year):
    """The report asked for, with the as-of form and the municipality; no report (None)
    for a day the form refuses, which is never answered with the figures of another day
    (as the list and the matrix answer an invalid filter). Queries: 1 + ``build_report``'s."""
    today = timezone.localdate()
    if year > today.year or year not in YEARS:
        raise Http404
    municipality = get_object_or_404(Municipality, slug=slug)
    form = AsOfForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return None, form, municipality
    as_of = form.cleaned_data["per"] if form.is_bound else None
    if as_of is None and year < today.year:
        # A past year's report: what was known at that year's end.
        as_of = dt.date(year, 12, 31)
    if as_of == today:
        as_of = None  # today's figures come from the stored standings
    return build_report(municipality, year, as_of), form, municipality


def _refusing_a_refused_day(view):
    """A download answering 400 with the form's errors as plain text for a day the form
    refuses, as the list's and the matrix's exports do for an invalid filter."""

    @wraps(view)
    def wrapper(request, slug, year):
        report, form, _municipality = _report(request, slug, year)
        if report is None:
            return refused_export(form)
        return view(request, report)

    return wrapper


@access(Public)
@require_safe
def council_report(request, slug, year):
    report, form, municipality = _report(request, slug, year)
    if report is None:
        # The form with its errors, and no figures.
        context = {"form": form, "municipality": municipality, "year": year}
        return render(request, "reports/report.html", context, status=400)
    query = f"?per={report.as_of.isoformat()}" if not report.is_today else ""
    return render(
        request,
        "reports/report.html",
        {
            "report": report,
            "form": form,
            "municipality": municipality,
            "year": year,
            "query": query,
            "outcome_chart": report.outcome_chart(),
            "acted_chart": report.acted_chart(),
        },
    )


@access(Public)
@require_safe
@_refusing_a_refused_day
def council_report_pdf(request, report):
    """The report as a tagged PDF (PDF/UA-1) on A4 for the council meeting."""
    from weasyprint import HTML

    html = render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "outcome_chart": report.outcome_chart(),
            "acted_chart": report.acted_chart(),
            "LANGUAGE_CODE": translation.get_language(),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=exports.pdf_stylesheets(report), pdf_variant="pdf/ua-1"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{exports.file_name(report)}.pdf"'
    return response


@access(Public)
@require_safe
@_refusing_a_refused_day
def council_report_xlsx(request, report):
    return exports.workbook_response(report)


@access(Public)
@require_safe
@_refusing_a_refused_day
def council_report_csv(request, report):
    header, rows = exports.figure_rows(report)
    return csv_response(header, rows, exports.file_name(report))

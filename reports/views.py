"""The council report: the page, its PDF for the council meeting, xlsx and CSV.

Public: it shows published material only (``reports.figures``), the same for every
reader, so no role check is needed beyond the municipality existing.
"""

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from auditfollowup.lib.spreadsheets import csv_response
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
    """The report asked for, with the as-of form. Queries: 1 + ``build_report``'s."""
    today = timezone.localdate()
    if year > today.year or year < 1900:
        raise Http404
    municipality = get_object_or_404(Municipality, slug=slug)
    form = AsOfForm(request.GET or None)
    as_of = form.cleaned_data["per"] if form.is_valid() else None
    if as_of is None and year < today.year:
        # A past year's report: what was known at that year's end.
        as_of = dt.date(year, 12, 31)
    if as_of == today:
        as_of = None  # today's figures come from the stored standings
    return build_report(municipality, year, as_of), form


@access(Public)
@require_safe
def council_report(request, slug, year):
    report, form = _report(request, slug, year)
    query = f"?per={report.as_of.isoformat()}" if not report.is_today else ""
    return render(
        request,
        "reports/report.html",
        {
            "report": report,
            "form": form,
            "query": query,
            "outcome_chart": report.outcome_chart(),
            "acted_chart": report.acted_chart(),
        },
    )


@access(Public)
@require_safe
def council_report_pdf(request, slug, year):
    """The report as a tagged PDF (PDF/UA-1) on A4 for the council meeting."""
    from weasyprint import HTML

    report, _form = _report(request, slug, year)
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
def council_report_xlsx(request, slug, year):
    report, _form = _report(request, slug, year)
    return exports.workbook_response(report)


@access(Public)
@require_safe
def council_report_csv(request, slug, year):
    report, _form = _report(request, slug, year)
    header, rows = exports.figure_rows(report)
    return csv_response(header, rows, exports.file_name(report))

"""The council report's figures as rows (CSV, xlsx) and the PDF's stylesheet.

The rows carry the same numbers as the page and the PDF: per audit year and board,
then the year's total, then the report's total. Cells go through the one
guard against spreadsheet formulas (``auditfollowup.lib.spreadsheets``).
"""

from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from auditfollowup.lib.spreadsheets import xlsx_response

from .figures import MEASURE_KEYS, MEASURE_LABELS, YEARS_ACTED, outcome_categories


def file_name(report) -> str:
    return (
        f"uppfoljningsrapport-{report.municipality.slug}-{report.year}-{report.as_of.isoformat()}"
    )


def figure_rows(report):
    """(header, rows) of the figures table."""
    categories = outcome_categories()
    header = [
        _("Kommun"),
        _("Per"),
        _("Granskningsår"),
        _("Nämnd"),
        _("Rekommendationer"),
        *[f"{c.label}" for c in categories],
        *[_("%(label)s, andel (%%)") % {"label": c.label} for c in categories],
        _("Enligt revisionens bedömning"),
        _("Enligt nämndens status"),
        *[
            label % {"n": years}
            for years in YEARS_ACTED
            for label in (
                ngettext("Åtgärdade inom %(n)s år", "Åtgärdade inom %(n)s år", years),
                ngettext("Mätbara efter %(n)s år", "Mätbara efter %(n)s år", years),
                ngettext(
                    "Åtgärdade inom %(n)s år, andel (%%)",
                    "Åtgärdade inom %(n)s år, andel (%%)",
                    years,
                ),
            )
        ],
        _("Öppna"),
        _("Öppna, medianålder (år)"),
        *[str(MEASURE_LABELS[key]) for key in MEASURE_KEYS],
    ]
    rows = []

    def add(cohort, board_name, row):
        rows.append(
            [
                report.municipality.name,
                report.as_of.isoformat(),
                cohort,
                board_name,
                row.count,
                *row.outcome_counts,
                *[s if s is not None else "" for s in row.outcome_shares],
                row.by_assessment,
                row.by_board_status,
                *[
                    value
                    for item in row.acted
                    for value in (
                        item.acted,
                        item.measurable,
                        item.share if item.share is not None else "",
                    )
                ],
                row.open_count,
                row.median_open_years if row.median_open_years is not None else "",
                *row.measure_counts,
            ]
        )

    for cohort in report.cohorts:
        for row in cohort.rows:
            add(cohort.year, row.board.name, row)
        add(cohort.year, _("Alla nämnder"), cohort.total)
    add(_("Alla år"), _("Alla nämnder"), report.total)
    return header, rows


def longest_open_rows(report):
    header = [
        _("Granskning"),
        _("Granskningens titel"),
        _("Rekommendation"),
        _("Lydelse"),
        _("Nämnd"),
        _("Utfall"),
        _("Källa"),
        _("Öppen (år)"),
    ]
    rows = [
        [
            item.audit_reference,
            item.audit_title,
            item.label,
            item.text,
            item.board.name,
            str(item.outcome_label),
            item.source_label,
            item.age_years,
        ]
        for item in report.longest_open
    ]
    return header, rows


def workbook_response(report):
    """The figures, then the recommendations open the longest, one sheet each."""
    return xlsx_response(
        *figure_rows(report),
        file_name(report),
        _("Utfall"),
        more_sheets=[(_("Längst öppna"), *longest_open_rows(report))],
    )


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string (names come from the database)."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " -.,:()åäöÅÄÖ" else f"\\{ord(ch):x} " for ch in text
    )
    return f'"{escaped}"'


def pdf_stylesheets(report):
    """The PDF's stylesheet (A4) and its margins: the municipality and the day at the
    top, the page number at the bottom, in the active language."""
    from weasyprint import CSS

    margin_font = 'font: 9pt "DejaVu Sans", sans-serif; color: #333;'
    day = _("Per %(day)s") % {"day": report.as_of.isoformat()}
    # "Sida 2 av 5"; "av" alone means "off" elsewhere, hence the context.
    page, of = _("Sida"), pgettext("sida 2 av 5", "av")
    margins = f"""@page {{
  @top-left {{ content: {css_string(report.municipality.name)}; {margin_font} }}
  @top-right {{ content: {css_string(day)}; {margin_font} }}
  @bottom-right {{
    content: {css_string(page)} " " counter(page) " " {css_string(of)} " " counter(pages);
    {margin_font}
  }}
}}"""
    return [CSS(filename=finders.find("css/report-pdf.css")), CSS(string=margins)]

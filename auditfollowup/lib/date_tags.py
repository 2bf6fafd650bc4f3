"""``{{ date|fuzzy_date }}``: a date of uncertain precision (``dates.FuzzyDate``) as the
pages show it, the way the document says it, marked as a time by its first day, with how
exactly it is known where it is coarser than a day:
``<time datetime="2026-05-01">maj 2026</time> <span class="muted">(månaden är känd, inte
dagen)</span>``. "" for no date."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def fuzzy_date(date) -> str:
    if not date:
        return ""
    shown = format_html('<time datetime="{}">{}</time>', date.start.isoformat(), date)
    if not date.precision_note:
        return shown
    return format_html('{} <span class="muted">({})</span>', shown, date.precision_note)

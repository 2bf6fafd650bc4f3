"""``{{ date|fuzzy_date }}``: a date of uncertain precision (``dates.FuzzyDate``) as the
pages show it, the way the document says it, marked as a time by its first day, with how
exactly it is known where it is coarser than a day:
``<time datetime="2026-05-01">maj 2026</time> <span class="muted">(månaden är känd, inte
dagen)</span>``. "" for no date.

``{{ date|time_element }}``: a day (``datetime.date``) or a date of uncertain precision as a
``<time>`` and nothing more: ``<time datetime="2019-06-30">2019-06-30</time>``. site.css keeps
a ``<time>`` on one line, so a day in a sentence or a narrow column never breaks as "2019-06-"
above "30".

``{{ delta|duration }}``: a span of time (a ``timedelta``) in words, in the page's
language, to its two largest units: "1 timme", "1 timme, 30 minuter", "2 days"."""

import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def time_element(date) -> str:
    if not date:
        return ""
    # A FuzzyDate is marked as a time by its first day.
    start = getattr(date, "start", date)
    return format_html('<time datetime="{}">{}</time>', start.isoformat(), date)


@register.filter
def fuzzy_date(date) -> str:
    if not date:
        return ""
    shown = time_element(date)
    note = date.precision_note
    if not note:
        return shown
    return format_html('{} <span class="muted">({})</span>', shown, note)


# Any moment does: ``timesince`` counts from one to the other.
_START = dt.datetime(2000, 1, 1)


@register.filter
def duration(delta: dt.timedelta) -> str:
    """Django's own words for a time since (its units and plurals, in every language it
    has), for a span of time rather than a moment."""
    return timesince(_START, _START + delta)

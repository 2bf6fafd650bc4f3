"""Render a status as symbol + text + colour, never colour alone."""

from functools import lru_cache
from html import escape

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from recommendations.status import NO_STATUS_LABEL, Status

register = template.Library()


@register.simple_tag
def status_badge(value, prefix=""):
    """A status badge for a Status or its stored value; an empty value reads "no answer".

    ``includes/status.html`` draws it. A badge depends only on the status, the prefix and
    the language, and the matrix shows hundreds of the same few, so each is drawn once
    per process and language (not while developing, where the template may change)."""
    value = Status(value).value if value else ""
    # The prefix as plain text, escaped where it is drawn: a translation written in a
    # template arrives marked safe, one from Python does not, and a badge drawn once must
    # not read "Board's" or "Board&#x27;s" by which page happened to ask for it first.
    prefix = str.__str__(str(prefix))
    if settings.DEBUG:
        return _drawn(value, prefix)
    return _drawn_once(value, prefix, get_language())


def _drawn(value: str, prefix: str) -> str:
    status = Status(value) if value else None
    context = {"status": status, "prefix": prefix, "no_status": NO_STATUS_LABEL}
    return render_to_string("includes/status.html", context)


@lru_cache(maxsize=512)
def _drawn_once(value: str, prefix: str, language: str) -> str:
    return _drawn(value, prefix)


@register.simple_tag
def status_legend():
    """Each status's badge and what it means, the matrix's key (``<div><dt>`` badge
    ``</dt><dd>`` description ``</dd></div>`` per status, in the vocabulary's order). Drawn
    once per process and language, as a badge is: the template's loop over the eight
    statuses cost the matrix a thousand calls per request."""
    if settings.DEBUG:
        return _legend()
    return _legend_once(get_language())


def _legend() -> str:
    return mark_safe(  # noqa: S308 (the badge is drawn by its template, the text escaped)
        "".join(
            f"<div><dt>{status_badge(status)}</dt><dd>{escape(str(status.description))}</dd></div>"
            for status in Status
        )
    )


@lru_cache(maxsize=8)
def _legend_once(language: str) -> str:
    return _legend()

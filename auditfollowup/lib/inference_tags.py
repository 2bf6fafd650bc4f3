"""``{% inference reason %}``: the *tolkning* marker next to a value the documents do not
state outright (``inference.py``); nothing when the reason is empty.

A ``<div>``: place it where flow content is allowed (dd, td, th, li, div). On screen the
reason opens with the keyboard (``<details>``); in print the disclosure is hidden and the
reason is printed in full (print.css).

Written in Python rather than as an included template because pages show it in loops (a
timeline asks for it four times per answer, the start page twice per line) and it is
almost always empty: an ``{% include %}`` cost some 40 µs each time, for nothing.
"""

from html import escape

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .content_tags import mark_content

register = template.Library()


@register.simple_tag(takes_context=True)
def inference(context, reason):
    if not reason:
        return ""
    # Escaped as {{ reason }} would be; the reason is written in the documents' language.
    reason = mark_content(render_value_in_context(reason, context))
    marker = escape(gettext("tolkning"))
    return mark_safe(  # noqa: S308 - the reason is escaped above, the rest are our own words
        '<div class="inference"><details class="inference-details">'
        f'<summary>{marker}</summary><p class="inference-reason"><strong>'
        f"{escape(gettext('Tolkning, inte dokumentets egna ord:'))}</strong> {reason}</p>"
        f'</details><span class="inference-print">({marker}: {reason})</span></div>'
    )

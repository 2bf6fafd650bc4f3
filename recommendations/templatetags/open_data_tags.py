"""Template filters of the open-data and API documentation pages."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def path_breaks(path) -> str:
    """A field's path ("results[].timeline[].entries[].status") with a line-break
    opportunity (<wbr>) before each dot and bracket, so that on a phone it breaks between
    its parts rather than inside a name."""
    return mark_safe(re.sub(r"(?=[.\[])", "<wbr>", escape(str(path))))  # noqa: S308 - escaped first

"""Render a status as symbol + text + colour, never colour alone."""

from django import template

from recommendations.status import Status

register = template.Library()


@register.inclusion_tag("includes/status.html")
def status_badge(value, prefix=""):
    """A status badge for a Status or its stored value; an empty value reads "no answer"."""
    return {"status": Status(value) if value else None, "prefix": prefix}

from django import template

from recommendations.status import Status

register = template.Library()


@register.filter
def as_status(value):
    """The Status for a stored value, or None, so templates can show symbol and label."""
    try:
        return Status(value)
    except ValueError:
        return None

"""``{{ recommendation|recommendation_name }}``: a recommendation's name, marked as the
documents' text on an English page only where it is the label a document gave it; a
recommendation without one is named in the page's own words ("Recommendation 1")."""

from html import escape

from django import template
from django.utils.safestring import SafeString

from auditfollowup.lib.content_tags import mark_content

from ..models import Recommendation

register = template.Library()


def recommendation_name(recommendation, mark=mark_content) -> str:
    """``recommendation.display_name``, escaped, marked as the documents' text only where
    it is the label they gave it (``mark``: a table's ``content_marker``)."""
    name = escape(recommendation.display_name)
    return mark(name) if recommendation.label else name


@register.filter(name="recommendation_name")
def recommendation_name_filter(recommendation):
    return SafeString(recommendation_name(recommendation))


@register.filter
def followed_name(target):
    """What a reader follows, named as ``str()`` names it, each part in its language: a
    recommendation by its name and the start of its wording, a board by its name."""
    if isinstance(target, Recommendation):
        wording = mark_content(escape(target.short_text))
        return SafeString(f"{recommendation_name(target)}: {wording}")
    return SafeString(escape(str(target)))

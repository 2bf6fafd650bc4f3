"""How pages mark a response: ``{{ response|unpublished_tag }}``, the tag that tells a
reader who may see more than the public (its staff, the auditors, an admin) that a
response is not published. Written in Python, not an include: the board page lists a
board's responses and the recommendation page its answers by the dozen."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def unpublished_tag(response) -> str:
    """`` <span class="tag tag-unpublished">Utkast</span>``, with the space that parts it
    from what it is said of, for a response the public cannot read (``is_public``, the
    one rule); "" for a published one."""
    if response.is_public:
        return ""
    return format_html(' <span class="tag tag-unpublished">{}</span>', response.get_state_display())

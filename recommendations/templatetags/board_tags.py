"""A board named by its short code (ASN, KS) where space is short, with its full name for
those who do not know the code: ``<abbr title="Arbetsmarknads- och socialnämnden">ASN</abbr>``."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def board_abbr(board) -> str:
    """The board's short code with its name as the abbreviation's title; its name alone
    when it has no code (or the code is the name)."""
    if not board.short_code or board.short_code == board.name:
        return format_html("{}", board.name)
    return format_html('<abbr title="{}">{}</abbr>', board.name, board.short_code)

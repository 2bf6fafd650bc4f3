"""A board as the pages name it: linked to its page by its name (``board_link``,
``board_links`` for several), or, where space is short, by its short code with its full
name for those who do not know the code (``board_abbr``, ``board_abbrs``):
``<abbr title="Arbetsmarknads- och socialnämnden">ASN</abbr>``."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def board_abbr(board) -> str:
    """The board's short code with its name as the abbreviation's title; its name alone
    when it has no code (or the code is the name)."""
    if not board.short_code or board.short_code == board.name:
        return format_html("{}", board.name)
    return format_html('<abbr title="{}">{}</abbr>', board.name, board.short_code)


@register.filter
def board_abbrs(boards) -> str:
    """``board_abbr`` of each board, parted by commas ("" for none)."""
    return mark_safe(", ".join(board_abbr(board) for board in boards))  # noqa: S308 (each escaped)


@register.filter
def board_link(board) -> str:
    """The board's name, linked to its page."""
    return format_html('<a href="{}">{}</a>', board.get_absolute_url(), board.name)


@register.filter
def board_links(boards) -> str:
    """``board_link`` of each board, parted by commas ("" for none)."""
    return format_html_join(
        ", ", '<a href="{}">{}</a>', ((board.get_absolute_url(), board.name) for board in boards)
    )

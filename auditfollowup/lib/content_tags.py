"""``{{ value|content_lang }}``: a short text the documents, boards or auditors wrote (a
title, a measure, a note), marked as written in ``CONTENT_LANGUAGE`` when the page is in
another language.

Why: in the English interface a screen reader reads a Swedish title with English rules
unless the page says which language it is in (WCAG 3.1.2, language of parts). Longer
texts (a recommendation, an answer) sit in their own element, which carries
``lang="{{ CONTENT_LANGUAGE }}"``; a title or a name inside a line of interface text has
no element of its own, so this filter gives it one: ``<span lang="sv">``. On a Swedish
page the text is left as it is, so those pages do not change. Names of municipalities
and boards are proper names, which WCAG leaves unmarked.
"""

from html import escape

from django import forms, template
from django.conf import settings
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import get_language

register = template.Library()


def differs_from_page() -> bool:
    """True when the page is in another language than the documents."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0] != settings.CONTENT_LANGUAGE


def _marked(text: str) -> str:
    return f'<span lang="{settings.CONTENT_LANGUAGE}">{text}</span>' if text else text


def _unmarked(text: str) -> str:
    return text


def content_marker():
    """``mark_content`` for the many texts of one page (a table's rows): the page's
    language asked once."""
    return _marked if differs_from_page() else _unmarked


def mark_content(text: str) -> str:
    """``text`` (already escaped) in a span of the content language where that differs."""
    return content_marker()(text)


@register.filter
def content_lang(value):
    # Escaped as {{ value }} is (Django's escape is html.escape; called directly, without
    # its lazy-string wrapper, because lists use this filter a few times per row).
    text = str(value) if isinstance(value, SafeData) else escape(str(value))
    return SafeString(mark_content(text))


class ContentLanguageSelect(forms.Select):
    """A select whose options are text the documents gave (an audit's or a round's title):
    each option marked as written in their language on a page in another (a ``<span>``
    may not stand in an ``<option>``; the attribute may)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if differs_from_page():
            for _group, options, _index in context["widget"]["optgroups"]:
                for option in options:
                    if option["value"] != "":
                        option["attrs"]["lang"] = settings.CONTENT_LANGUAGE
        return context

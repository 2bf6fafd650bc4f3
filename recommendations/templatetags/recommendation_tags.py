"""``{{ recommendation|recommendation_name }}``: a recommendation's name, marked as the
documents' text on an English page only where it is the label a document gave it; a
recommendation without one is named in the page's own words ("Recommendation 1").

``{{ recommendation|closed_tag }}`` and ``{{ recommendation|closed_notice }}``: how a
closed recommendation (``Recommendation.is_closed``) says so, in a list's row and on its
own pages.

``{% dnr %}``: the abbreviation "dnr" before a diary number, with what it stands for.

``{% narrative_diff step.diff %}``: what a board changed in its answer's text since its
previous one (``timeline.word_diff``), as the timeline shows it.

``{{ audit|audit_name }}`` and ``{{ audit|audit_name:"short" }}``: an audit as pages name
it, its reference (*diarienummer*) kept on one line; ``{{ number|case_number }}``: another
diary number (a response's, a document's) kept on one line the same way.

``{{ document|source_document_name }}``: a source document as pages name it, its kind and
its title, the kind not said twice (``SourceDocument.title_names_kind``).

The names are one wording everywhere, pages and mails alike: in a template that escapes
nothing, which is how a mail's plain text is written (``notifications.mail``,
``{% autoescape off %}``), these filters write the same words as plain text, without the
HTML around them."""

from functools import lru_cache
from html import escape

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from auditfollowup.lib.content_tags import mark_content

from ..models import Recommendation

register = template.Library()


def recommendation_name(recommendation, mark=mark_content) -> str:
    """``recommendation.display_name``, escaped, marked as the documents' text only where
    it is the label they gave it (``mark``: a table's ``content_marker``)."""
    name = escape(recommendation.display_name)
    return mark(name) if recommendation.name_is_documents else name


@register.filter(name="recommendation_name", needs_autoescape=True)
def recommendation_name_filter(recommendation, autoescape=True):
    if not autoescape:
        return recommendation.display_name
    return SafeString(recommendation_name(recommendation))


@register.filter(needs_autoescape=True)
def followed_name(target, autoescape=True):
    """What a reader follows, named as ``str()`` names it, each part in its language: a
    recommendation by its name and the start of its wording, a board by its name. Its
    wording's own closing full stop is left out: the name stands inside a sentence ("…du
    följer Rekommendation 3: Följ upp insatserna."), which ends with its own."""
    if not isinstance(target, Recommendation):
        return SafeString(escape(str(target))) if autoescape else str(target)
    wording = target.short_text.removesuffix(".")
    if not autoescape:
        return f"{target.display_name}: {wording}"
    return SafeString(f"{recommendation_name(target)}: {mark_content(escape(wording))}")


@register.simple_tag
def dnr() -> str:
    """ "dnr" as the documents abbreviate *diarienummer*, spelled out for a reader who
    does not know it: shown on hover and read by a screen reader (WCAG 3.1.4)."""
    return _dnr_in(get_language())


@lru_cache(maxsize=8)
def _dnr_in(language: str | None) -> str:
    # Written once per language: the timeline writes it before every answer's diary
    # number, and its two translations and format_html were some 90 calls each time.
    return format_html('<abbr title="{}">{}</abbr>', _("diarienummer"), _("dnr"))


@register.simple_tag(takes_context=True)
def narrative_diff(context, segments) -> str:
    """The segments of ``timeline.word_diff`` as the timeline entry shows them, each
    followed by a space: words added in ``<ins>``, words taken out in ``<del>``, each
    announced to a screen reader in the page's language (the words are the documents'),
    the rest in a ``<span>``. Written here rather than by a template loop: a rewritten
    answer has some fifty segments, and the loop's tags per segment were a tenth of the
    recommendation page's work."""
    language = conditional_escape(context.get("LANGUAGE_CODE", ""))
    added = f'<span class="visually-hidden" lang="{language}">{_("tillagt:")} </span>'
    deleted = f'<span class="visually-hidden" lang="{language}">{_("borttaget:")} </span>'
    parts = []
    for kind, text in segments:
        if kind == "insert":
            parts.append(f"<ins>{added}{escape(text)}</ins> ")
        elif kind == "delete":
            parts.append(f"<del>{deleted}{escape(text)}</del> ")
        else:
            parts.append(f"<span>{escape(text)}</span> ")
    return SafeString("".join(parts))


def case_number(number: str) -> str:
    """A case number ("SR-2018-71", "KS-2023-00123"), escaped, in the span that keeps it on
    one line (``.case-number`` in site.css: a phone broke it at its hyphens, "SR-" above
    "2018-71"). The text stays as it is, so it is copied and searched as written; "" for
    none."""
    return f'<span class="case-number">{escape(number)}</span>' if number else ""


@register.filter(name="case_number", needs_autoescape=True)
def case_number_filter(number, autoescape=True):
    """``{{ response.diary_number|case_number }}``: a diary number kept on one line."""
    if not autoescape:
        return number or ""
    return SafeString(case_number(number or ""))


def audit_name(audit, *, short: bool = False, mark=mark_content) -> str:
    """``str(audit)`` (its reference and title) or, ``short``, ``audit.short_name`` (its
    reference, or its title when it has none), as HTML: the reference a ``case_number``,
    the title escaped and marked as the documents' text (``mark``: a table's
    ``content_marker``). Pages write an audit's reference only through this; exports,
    the API and a page's ``<title>`` write the model's plain text."""
    reference = case_number(audit.reference)
    title = mark(escape(audit.title)) if audit.title else ""
    if short:
        return reference or title
    return " ".join(part for part in (reference, title) if part)


@register.filter(name="audit_name", needs_autoescape=True)
def audit_name_filter(audit, form: str = "", autoescape=True):
    if form not in ("", "short"):
        raise template.TemplateSyntaxError(f'audit_name takes "short" or nothing, not {form!r}')
    if not autoescape:
        return audit.short_name if form == "short" else str(audit)
    return SafeString(audit_name(audit, short=form == "short"))


@register.filter(needs_autoescape=True)
def source_document_name(document, autoescape=True):
    """ "Yttrande: Åtgärder med anledning av …": the document's kind, in the page's
    language, then its title, marked as the documents' text; its title alone when that
    already begins with its kind ("Tjänsteskrivelse: Bakomliggande orsaker …")."""
    kind = "" if document.title_names_kind else f"{capfirst(document.get_kind_display())}: "
    if not autoescape:
        return kind + document.title
    return SafeString(escape(kind) + mark_content(escape(document.title)))


@register.filter
def closed_tag(recommendation) -> str:
    """A closed recommendation's tag, wherever recommendations are listed (the list, an
    audit's and a board's page, the matrix's rows); "" for an open one."""
    if not recommendation.is_closed:
        return ""
    closed = escape(_("Avslutad %(day)s") % {"day": recommendation.closed_on.isoformat()})
    # The text escaped into an f-string, not format_html, whose checks were a third of
    # the tag's calls: the matrix's rows ask for it one by one.
    return SafeString(
        f'<span class="tag tag-closed"><span aria-hidden="true">■</span> {closed}</span>'
    )


@register.filter
def closed_notice(recommendation) -> str:
    """The day a closed recommendation was closed, as its own page and its closing page
    say it; "" for an open one."""
    if not recommendation.is_closed:
        return ""
    closed = _("Rekommendationen avslutades %(day)s.") % {
        "day": recommendation.closed_on.isoformat()
    }
    return format_html('<strong><span aria-hidden="true">■</span> {}</strong>', closed)

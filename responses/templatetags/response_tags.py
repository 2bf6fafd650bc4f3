"""How pages mark what the boards answered, each fragment written here once:

- ``{% response_link response %}``: a response's title linked to its page, with the
  *tolkning* marker where the title is inferred;
- ``{{ response|unpublished_tag }}``: the tag that tells a reader who may see more than
  the public (its staff, the auditors, an admin) that a response is not published;
- ``{% standing_status standing %}``, ``{% standing_assessment standing %}`` and
  ``{{ standing|overdue_tag }}``: a board's own status, the auditors' assessment and
  the overdue measures in its standing, as the recommendation page's table of boards,
  the board page's table of recommendations and the list filtered by a board show them;
- ``{% overdue_flag days due %}``: how late a measure is, as the recommendation page's
  measures and the staff's edit page say it.

Written in Python, not as includes: the board page lists a board's recommendations and
responses by the hundred."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from auditfollowup.lib.content_tags import content_lang
from auditfollowup.lib.date_tags import time_element
from auditfollowup.lib.inference_tags import inference
from auditfollowup.lib.number_tags import grouped_number
from recommendations.templatetags.status_tags import status_badge

register = template.Library()


@register.simple_tag(takes_context=True)
def response_link(context, response) -> str:
    """The response's title (the documents' words, marked as such on an English page)
    linked to its page, and the *tolkning* marker where the title is an inference."""
    title = content_lang(response.title)
    link = format_html('<a href="{}">{}</a>', response.get_absolute_url(), title)
    return mark_safe(link + inference(context, response.title_inference))  # noqa: S308


@register.filter
def unpublished_tag(response) -> str:
    """`` <span class="tag tag-unpublished">Utkast</span>``, with the space that parts it
    from what it is said of, for a response the public cannot read (``is_public``, the
    one rule); "" for a published one."""
    if response.is_public:
        return ""
    return format_html(' <span class="tag tag-unpublished">{}</span>', response.get_state_display())


@register.simple_tag
def standing_status(standing, with_source=True) -> str:
    """A board's own status in its standing: its badge, followed (``with_source``; not
    in the list, where space is short) by the round and the day it comes from. For a
    board without a published answer, what it is said to be (``without_answer_label``):
    a missing answer where it owes one (``must_answer``), else no more than a word."""
    if standing.status:
        badge = status_badge(standing.status, _("Nämndens status"))
        if not with_source:
            return badge
        where = (
            _("omgång %(sequence)s") % {"sequence": standing.round.sequence}
            if standing.round
            else ""
        )
        when = format_html(", {}", time_element(standing.answered)) if standing.answered else ""
        source = format_html('<span class="standing-source muted small"> {}{}</span>', where, when)
        return mark_safe(badge + source)  # noqa: S308 (both escaped)
    if standing.must_answer:
        return format_html(
            '<span class="status status-none"><span class="status-symbol" aria-hidden="true">'
            "·</span> {}</span>",
            standing.without_answer_label,
        )
    return format_html('<span class="muted">{}</span>', standing.without_answer_label)


@register.simple_tag
def standing_assessment(standing) -> str:
    """The auditors' latest assessment in a board's standing: its badge, tagged where it
    differs from the board's own status (``disagrees``, kept on write); "Ingen
    bedömning" where there is none."""
    if not standing.assessment_status:
        return format_html('<span class="muted">{}</span>', _("Ingen bedömning"))
    badge = status_badge(standing.assessment_status, _("Revisionens bedömning"))
    if not standing.disagrees:
        return badge
    disagrees = format_html(
        ' <span class="tag tag-disagree">{}</span>', _("Annan bedömning än nämndens")
    )
    return mark_safe(badge + disagrees)  # noqa: S308 (both escaped)


@register.filter
def overdue_tag(standing) -> str:
    """`` <span class="tag tag-overdue">Försenad</span>``, with its space, for a board
    whose measures under the recommendation are overdue today (``is_overdue_today``);
    "" otherwise."""
    if not standing.is_overdue_today:
        return ""
    return format_html(' <span class="tag tag-overdue">{}</span>', _("Försenad"))


@register.simple_tag
def overdue_flag(days: int, due) -> str:
    """``⚠ Försenad 2 716 dagar (sedan 2019-05-31)`` for a measure overdue by ``days``
    (``Measure.days_overdue``, the one rule) past the end of its due period ``due``; ""
    for one that is not overdue. A symbol and words, never colour alone."""
    if not days:
        return ""
    sentence = ngettext(
        "Försenad %(days)s dag (sedan %(end)s)", "Försenad %(days)s dagar (sedan %(end)s)", days
    )
    # The day as a <time>, which keeps it on one line in the narrow column it stands in.
    late = conditional_escape(sentence) % {
        "days": conditional_escape(grouped_number(days)),
        "end": time_element(due.end),
    }
    return format_html(
        '<strong class="flag-inline flag-overdue"><span aria-hidden="true">⚠</span> {}</strong>',
        mark_safe(late),  # noqa: S308 (the sentence and the number escaped, the day a <time>)
    )

"""How pages mark what the boards answered, each fragment written here once:

- ``{{ response|unpublished_tag }}``: the tag that tells a reader who may see more than
  the public (its staff, the auditors, an admin) that a response is not published;
- ``{% standing_assessment standing %}`` and ``{{ standing|overdue_tag }}``: a board's
  standing's assessment and its overdue measures, as the recommendation page's table of
  boards and the board page's table of recommendations show them;
- ``{% overdue_flag days due %}``: how late a measure is, as the recommendation page's
  measures and the staff's edit page say it.

Written in Python, not as includes: the board page lists a board's recommendations and
responses by the hundred."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from recommendations.templatetags.status_tags import status_badge

register = template.Library()


@register.filter
def unpublished_tag(response) -> str:
    """`` <span class="tag tag-unpublished">Utkast</span>``, with the space that parts it
    from what it is said of, for a response the public cannot read (``is_public``, the
    one rule); "" for a published one."""
    if response.is_public:
        return ""
    return format_html(' <span class="tag tag-unpublished">{}</span>', response.get_state_display())


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
    """``⚠ Försenad 12 dagar (sedan 2026-05-31)`` for a measure overdue by ``days``
    (``Measure.days_overdue``, the one rule) past the end of its due period ``due``; ""
    for one that is not overdue. A symbol and words, never colour alone."""
    if not days:
        return ""
    late = ngettext(
        "Försenad %(days)s dag (sedan %(end)s)", "Försenad %(days)s dagar (sedan %(end)s)", days
    ) % {"days": days, "end": due.end.isoformat()}
    return format_html(
        '<strong class="flag-inline flag-overdue"><span aria-hidden="true">⚠</span> {}</strong>',
        late,
    )

"""One form control with its label, help text and errors next to it: ``{% field form.x %}``.

Written in Python rather than as an included template because a page renders it once
per field: the staff response form has some 200 fields, and the include cost about
60 µs each (variable look-ups, context pushes) against a few here.
"""

from functools import cache
from html import escape

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()


@register.simple_tag(takes_context=True)
def field(context, bound_field, optional_group=False):
    """The field's label (with "(obligatoriskt)" when it is required), its errors (the
    list the control's ``aria-describedby`` names), the control and its help text.

    ``optional_group``: the field is required only when its group (a new measure) is
    used, so it is not marked as required.
    """

    def text(value) -> str:
        if type(value) is str:  # an id, a plain label: only escaped, as {{ }} would
            return escape(value)
        return render_value_in_context(value, context)

    # A bound field is its control's HTML, safe: {{ bound_field }} writes it as it is.
    control = str(bound_field)
    errors = bound_field.errors
    html = ['\n<div class="field', " field-error" if errors else "", '">\n  ']
    if bound_field.is_hidden:
        html.append(control)
    else:
        html += ['\n  <label for="', text(bound_field.id_for_label), '">', text(bound_field.label)]
        if bound_field.field.required and not optional_group:
            html.append(_required_mark(get_language()))
        html.append("</label>\n  ")
        if errors:
            html += ['<ul class="errorlist" id="', text(bound_field.auto_id), '_error">']
            html += ["<li>" + text(error) + "</li>" for error in errors]
            html.append("</ul>")
        html += ["\n  ", control, "\n  "]
        if bound_field.help_text:
            html += ['<p class="help muted" id="', text(bound_field.auto_id), '_helptext">']
            html += [text(bound_field.help_text), "</p>"]
        html.append("\n  ")
    html.append("\n</div>\n")
    return mark_safe("".join(html))  # noqa: S308 - every value above went through the escaping of {{ }}


@cache
def _required_mark(language: str | None) -> str:
    """The mark after a required field's label, translated once per language (the staff
    form has some 30 required fields)."""
    return f' <span class="required">({escape(gettext("obligatoriskt"))})</span>'


@register.simple_tag
def form_errors(form) -> list[tuple[str, str]]:
    """A form's errors as (id of the field, text) pairs, in the form's order, for
    ``includes/error_summary.html``: ``{% form_errors form as errors %}`` where a page
    names in the summary's heading what was not done ("Yttrandet är inte publicerat")."""
    errors = []
    if form is not None and form.is_bound:
        first = next((f for f in form if not f.is_hidden), None)
        for message in form.non_field_errors():
            errors.append((first.auto_id if first else "", message))
        for bound_field in form:
            # A hidden field's error has no field to lead to, but is said all the same:
            # nothing else on the page would show it.
            anchor = "" if bound_field.is_hidden else bound_field.auto_id
            for message in bound_field.errors:
                errors.append((anchor, f"{bound_field.label}: {message}"))
    return errors


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form, heading=""):
    """A form's errors at its top, each a link to its field, focused when the page opens
    so a screen reader reads them (the errors beside the fields are not announced):
    ``{% error_summary form %}``. The edit page passes its own list (``errors``)."""
    return {"errors": form_errors(form), "heading": heading}


@register.inclusion_tag("admin/includes/error_summary.html")
def admin_error_summary(adminform, inline_admin_formsets=()):
    """An admin change page's errors above its fields, each named by its field (and by the
    row it stands in, for an inline's) and linking to it. Django's own note says only
    "correct the errors below" and shows each error beside its field, unnamed ("This field
    is required."), so a long page (an audit with its rounds and recommendations) left the
    admin to scroll for them, and a screen reader announced none."""
    errors = _field_errors(adminform.form, "")
    for inline in inline_admin_formsets:
        name = str(inline.opts.verbose_name)
        name = name[:1].upper() + name[1:]
        for number, form in enumerate(inline.formset.forms, start=1):
            row = f"{name} {number}"
            errors += [("", f"{row}: {message}") for message in form.non_field_errors()]
            errors += _field_errors(form, row)
        for message in inline.formset.non_form_errors():
            errors.append(("", f"{name}: {message}"))
    return {"errors": errors}


def _field_errors(form, row: str) -> list[tuple[str, str]]:
    errors = []
    if not form.is_bound:
        return errors
    for bound_field in form:
        for message in bound_field.errors:
            label = f"{row}, {bound_field.label}" if row else str(bound_field.label)
            anchor = "" if bound_field.is_hidden else bound_field.auto_id
            errors.append((anchor, f"{label}: {message}"))
    return errors

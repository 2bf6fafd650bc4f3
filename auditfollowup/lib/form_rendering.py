"""The project's form renderer: Django's own widget templates for inputs, text areas and
selects, written out in Python.

Why: rendering a widget through Django's template engine costs an ``{% include %}`` of
``input.html`` and of ``attrs.html``, and one more per ``<option>``. The staff response
form has some 250 widgets and 360 options; through the templates they took about 70 % of
its server time. Here they are string building, byte for byte the same HTML (tested
against the templates in tests/test_form_rendering.py).

So is a form made of hidden fields only (a formset's management form). Every other
template (radio buttons, multi-widgets, the project's own widgets, whole forms) still goes
through the template engine, as does a select whose options use another template.
"""

from functools import lru_cache
from html import escape

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.safestring import SafeData

_WIDGETS = "django/forms/widgets/"
_OPTION_TEMPLATE = _WIDGETS + "select_option.html"
# How the template engine writes {{ value }} in a widget template: autoescaped and
# localized (read only, so one is shared).
_CONTEXT = Context(autoescape=True)

# The widget templates that are nothing but ``{% include "…/input.html" %}``.
_INPUT_TEMPLATES = {
    _WIDGETS + name
    for name in (
        "checkbox.html",
        "color.html",
        "date.html",
        "datetime.html",
        "email.html",
        "file.html",
        "hidden.html",
        "input.html",
        "number.html",
        "password.html",
        "search.html",
        "tel.html",
        "text.html",
        "time.html",
        "url.html",
    )
}


def _value(value, context: Context) -> str:
    """``{{ value }}``: localized and escaped as the template engine does. A plain string
    (most names, ids and values) is only escaped, as Django's ``escape`` does."""
    if type(value) is str:
        return escape(value)
    return render_value_in_context(value, context)


def _stringformat(value) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps safe input safe; the rest is
    escaped."""
    if type(value) is str:  # most values: only escaped
        return escape(value)
    if type(value) is int:  # a size, a number of rows: digits, nothing to escape
        return str(value)
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 - exactly what the filter does
    except (ValueError, TypeError):
        return ""
    return text if isinstance(value, SafeData) else escape(text)


@lru_cache(maxsize=256)
def _name(name: str) -> str:
    """An attribute's name, escaped: widgets use a few dozen (id, class, required...), which
    a form of 200 fields writes some 600 times."""
    return escape(name)


def _attrs(attrs: dict, context: Context) -> str:
    """``attrs.html``: ``False`` leaves an attribute out, ``True`` writes it bare."""
    if not attrs:  # most options
        return ""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(" " + (_name(name) if type(name) is str else _value(name, context)))
        if value is not True:
            parts.append('="' + _stringformat(value) + '"')
    return "".join(parts)


def html_attrs(attrs: dict) -> str:
    """A widget's attributes as Django's ``attrs.html`` writes them, for widgets that
    write their own HTML."""
    return _attrs(attrs, _CONTEXT)


def _input(widget: dict, context: Context) -> str:
    html = f'<input type="{_value(widget["type"], context)}"'
    html += f' name="{_value(widget["name"], context)}"'
    if widget["value"] is not None:
        html += f' value="{_stringformat(widget["value"])}"'
    return html + _attrs(widget["attrs"], context) + ">"


def _textarea(widget: dict, context: Context) -> str:
    value = _value(widget["value"], context) if widget["value"] else ""
    return (
        f'<textarea name="{_value(widget["name"], context)}"{_attrs(widget["attrs"], context)}>'
        f"\n{value}</textarea>"
    )


def _option(option: dict, context: Context) -> str:
    # The included template ends with a newline, which stays inside the <select>.
    return (
        f'<option value="{_stringformat(option["value"])}"{_attrs(option["attrs"], context)}>'
        f"{_value(option['label'], context)}</option>\n"
    )


def _select(widget: dict, context: Context) -> str:
    parts = [f'<select name="{_value(widget["name"], context)}"{_attrs(widget["attrs"], context)}>']
    for group_name, group_choices, _group_index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name, context)}">')
        for option in group_choices:
            parts.append("\n  " + _option(option, context))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _uses_own_options(widget: dict) -> bool:
    return all(
        option["template_name"] == _OPTION_TEMPLATE
        for _name, choices, _index in widget["optgroups"]
        for option in choices
    )


def _hidden_only(form_context: dict) -> str | None:
    """``div.html`` for a form of hidden fields only and no errors (a formset's management
    form): the fields one after the other; None for any other form."""
    if form_context["fields"] or form_context["errors"]:
        return None
    return "".join(str(field) for field in form_context["hidden_fields"])


class FormRenderer(DjangoTemplates):
    """Django's default renderer, with the common widgets rendered in Python.

    Like Django's ``DjangoTemplates`` renderer it reads the widget templates from Django
    itself first, so nothing in the project can override the ones written out here.
    """

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and request is None:
            template_context = _CONTEXT
            if template_name in _INPUT_TEMPLATES:
                return _input(widget, template_context)
            if template_name == _WIDGETS + "textarea.html":
                return _textarea(widget, template_context)
            if template_name == _WIDGETS + "select.html" and _uses_own_options(widget):
                return _select(widget, template_context)
        if template_name == self.form_template_name and request is None and "fields" in context:
            html = _hidden_only(context)
            if html is not None:
                return html
        return super().render(template_name, context, request=request)

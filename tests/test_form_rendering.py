"""Forms render in Python exactly as Django's templates and the old field template did.

``auditfollowup.lib.form_rendering.FormRenderer`` writes Django's widget templates for inputs,
text areas and selects in Python, and ``{% field %}`` (auditfollowup/lib/form_tags.py,
registered in settings' TEMPLATES) replaced the included template ``includes/field.html``:
both for speed, so the HTML must stay byte for byte what it was.
"""

import re

from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import engines
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override
from hypothesis import given, settings
from hypothesis import strategies as st

from auditfollowup.lib.dates import FuzzyDate
from auditfollowup.lib.form_rendering import FormRenderer
from recommendations.status import Status
from responses.forms import EntryForm, MeasureUpdateForm, NewMeasureFormSet

from .factories import edit_page_data

TEMPLATES = DjangoTemplates()
PYTHON = FormRenderer()

HOSTILE = '<b>"Tom & Jerry\'s"</b>\n  rad två'

WIDGETS = [
    forms.TextInput(),
    forms.TextInput(attrs={"class": "input-wide", "size": 80, "maxlength": 30}),
    forms.TextInput(attrs={"required": True, "disabled": False, "data-x": HOSTILE}),
    forms.HiddenInput(),
    forms.NumberInput(attrs={"min": 0}),
    forms.EmailInput(),
    forms.URLInput(),
    forms.PasswordInput(),
    forms.DateInput(attrs={"type": "date"}),
    forms.CheckboxInput(),
    forms.FileInput(),
    forms.Textarea(),
    forms.Textarea(attrs={"rows": 2}),
    forms.Select(choices=[("", "---------"), *Status.choices]),
    forms.Select(choices=[(1, 1234), (2, gettext_lazy("Planerad")), ("x", HOSTILE)]),
    forms.Select(
        choices=[("", "---------"), ("Grupp", [("a", "A"), ("b", "B")]), (HOSTILE, [(3, "C")])]
    ),
    forms.SelectMultiple(choices=[("a", "A"), ("b", HOSTILE)]),
    forms.NullBooleanSelect(),
]

VALUES = [None, "", "planned", "Planerad", 1, True, False, HOSTILE, mark_safe("<i>säker</i>")]


def both(widget, value, attrs=None):
    name = "measure-12-status"
    return (
        widget.render(name, value, attrs, renderer=PYTHON),
        widget.render(name, value, attrs, renderer=TEMPLATES),
    )


def test_every_widget_and_value_renders_as_the_django_templates_do():
    for widget in WIDGETS:
        for value in VALUES:
            for attrs in (None, {"id": "id_x", "aria-describedby": "id_x_helptext"}):
                python, templates = both(widget, value, attrs)
                assert python == templates, (widget, value)


@settings(max_examples=60, deadline=None)
@given(value=st.text(), label=st.text(), attribute=st.text())
def test_any_text_renders_as_the_django_templates_do(value, label, attribute):
    for widget in (
        forms.TextInput(attrs={"title": attribute}),
        forms.Textarea(attrs={"placeholder": attribute}),
        forms.Select(choices=[(value, label), ("", attribute)], attrs={"title": attribute}),
    ):
        python, templates = both(widget, value)
        assert python == templates


def test_a_formsets_management_form_renders_as_the_django_template_does():
    rendered = []
    for renderer in (PYTHON, TEMPLATES):
        formset = NewMeasureFormSet(prefix="new-7")
        formset.renderer = renderer
        rendered.append(str(formset.management_form))
    python, templates = rendered
    assert python == templates
    assert python.count('type="hidden"') == 4


def test_forms_with_errors_or_visible_fields_still_render_through_the_templates():
    data = {"status": "nonsense", "due": "någon gång"}
    python = MeasureUpdateForm(data, measure=None, prefix="m", renderer=PYTHON)
    python.measure = type("Measure", (), {"due": None})()
    templates = MeasureUpdateForm(data, measure=python.measure, prefix="m", renderer=TEMPLATES)
    assert str(python) == str(templates)
    assert "errorlist" in str(python)


# The markup of the included template that ``{% field %}`` replaced, kept here as the
# reference the tag must match.
OLD_FIELD_TEMPLATE = """{% comment %}One form control with its label, help text and errors next to it.
optional_group: the field is required only when its group (a new measure) is used.{% endcomment %}
<div class="field{% if field.errors %} field-error{% endif %}">
  {% if field.is_hidden %}{{ field }}{% else %}
  <label for="{{ field.id_for_label }}">{{ field.label }}{% if field.field.required and not optional_group %} <span class="required">({{ _("obligatoriskt") }})</span>{% endif %}</label>
  {% if field.errors %}<ul class="errorlist" id="{{ field.auto_id }}_error">{% for error in field.errors %}<li>{{ error }}</li>{% endfor %}</ul>{% endif %}
  {{ field }}
  {% if field.help_text %}<p class="help muted" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</p>{% endif %}
  {% endif %}
</div>
"""  # noqa: E501


class HostileForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=HOSTILE, help_text=HOSTILE, max_length=5)
    safe = forms.CharField(label=mark_safe("<em>Rubrik</em>"), required=False)


def test_the_field_tag_writes_what_the_included_template_did():
    engine = engines["django"]
    old = engine.from_string("{% load i18n %}" + OLD_FIELD_TEMPLATE)
    old_optional = engine.from_string(
        "{% load i18n %}{% with optional_group=True %}" + OLD_FIELD_TEMPLATE + "{% endwith %}"
    )
    new = engine.from_string("{% load form_tags %}{% field field %}")
    new_optional = engine.from_string("{% load form_tags %}{% field field optional_group=True %}")
    measure = type("Measure", (), {"due": FuzzyDate.parse("maj 2026")})()
    forms_ = [
        EntryForm(prefix="rec-1", answered=True),
        EntryForm({"rec-1-status": ""}, prefix="rec-1", answered=True),
        MeasureUpdateForm(
            {"m-status": Status.IMPLEMENTED, "m-due": "2027"}, prefix="m", measure=measure
        ),
        HostileForm({"title": HOSTILE}),
        HostileForm(),
    ]
    for language in ("sv", "en"):
        with override(language):
            for form in forms_:
                for bound_field in form:
                    context = {"field": bound_field}
                    assert new.render(context) == old.render(context)
                    assert new_optional.render(context) == old_optional.render(context)
    assert "field-error" in new.render({"field": forms_[1]["status"]})


def _masked(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_staff_form_is_the_same_page_with_the_python_renderer(client, world, draft, settings):
    """The whole edit page, with errors shown, as with Django's own template renderer."""
    world.open_measure.also_serves.add(world.rec2)
    client.force_login(world.staff_a)
    url = reverse("responses:response_edit", args=[draft.pk])
    data = edit_page_data(
        draft,
        **{
            f"rec-{world.rec1.pk}-status": "",
            f"rec-{world.rec1.pk}-narrative": "Ett svar utan status.",
            "title": HOSTILE,
        },
    )
    pages = []
    for renderer in (
        "auditfollowup.lib.form_rendering.FormRenderer",
        "django.forms.renderers.DjangoTemplates",
    ):
        settings.FORM_RENDERER = renderer
        pages.append([_masked(client.get(url).text), _masked(client.post(url, data).text)])
    assert pages[0] == pages[1]
    assert "Välj nämndens status, annars kan svaret och åtgärderna under den" in pages[0][1]

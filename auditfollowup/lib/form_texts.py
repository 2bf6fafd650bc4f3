"""Forms whose labels and help texts are translated once per language, not at every use.

A field's label and help text are lazy translations (``gettext_lazy``), translated again
each time they are read: Django's ``BoundField`` asks whether there is a help text, so
does its ``aria-describedby``, and the ``{% field %}`` tag asks once more and writes it;
each reading is a catalogue look-up of some 35 Python calls. The staff response form has
some 40 forms of a few classes: 530 look-ups per page of the same dozen texts, a tenth of
its Python calls.
"""

from functools import cache

from django import forms
from django.utils.translation import get_language


class TextsTranslatedOnce:
    """Form mixin: the form's fields with their labels and help texts in the active
    language as plain text, translated once per form class and language; and the label
    suffix Django translates for every form.

    A form is rendered in the language it was made in (a request's). A text a form's own
    ``__init__`` sets after this one (``EntryForm``'s help text for a status not yet
    chosen) is read as it is.
    """

    def __init__(self, *args, **kwargs):
        language = get_language()
        texts, label_suffix = _translated(type(self), language)
        kwargs.setdefault("label_suffix", label_suffix)
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in texts:
                field.label, field.help_text = texts[name]


@cache
def _translated(form_class, language: str | None):
    """{field name: (label, help text)} of the class's fields, and Django's label suffix,
    in ``language`` (the active one). A label left unset stays None (Django makes one of
    the field's name)."""
    texts = {
        name: (None if field.label is None else str(field.label), str(field.help_text))
        for name, field in form_class.base_fields.items()
    }
    return texts, forms.Form().label_suffix  # as Django translates it

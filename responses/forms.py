"""Forms for board staff writing a response: they validate and normalise, nothing more.

The edit page is one form per part (the response, one entry per recommendation, one
update per carried-over measure, a small formset of new measures per recommendation),
all posted and saved together by ``services.save_response``. Its forms translate their
labels and help texts once per language (``TextsTranslatedOnce``), not once per form.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from auditfollowup.lib.date_fields import DayThatHasComeField
from auditfollowup.lib.form_texts import TextsTranslatedOnce
from auditfollowup.lib.fuzzy_date_forms import FuzzyDateField, fuzzy_date_as_input
from recommendations.models import Board, FollowUpRound
from recommendations.status import Status, status_choices

from .models import Measure, Response, completion_problem


class StatusSelect(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("choices", status_choices)
        super().__init__(**kwargs)

    def __deepcopy__(self, memo):
        # Every form copies its fields; the statuses never change per form, so the list is
        # shared rather than deep-copied (ChoiceField's copy of it cost about 0.1 ms per
        # select, some 40 times on the staff form).
        return forms.Field.__deepcopy__(self, memo)


class StartResponseForm(forms.Form):
    """Start the answer one of the user's boards owes in an open round: the start page's
    button under each round it lists sends both."""

    board = forms.ModelChoiceField(
        queryset=Board.objects.none(),
        label=_("Nämnd"),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Du skriver inte yttranden för den nämnden.")},
    )
    round = forms.ModelChoiceField(
        queryset=FollowUpRound.objects.none(),
        label=_("Uppföljningsomgång"),
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _(
                "Omgången är inte längre öppen för yttranden. Listan ovan visar det som "
                "nämnden ska svara på nu."
            )
        },
    )

    def __init__(self, *args, boards, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards
        # Every open round is accepted: a page opened before a colleague started the
        # answer still leads to that answer (the view opens it).
        self.fields["round"].queryset = rounds

    def clean(self):
        cleaned = super().clean()
        board, round_ = cleaned.get("board"), cleaned.get("round")
        if board and round_ and not round_.asks_board(board):
            self.add_error(
                "round",
                _("Omgången begär inget svar av %(board)s.") % {"board": board},
            )
        return cleaned


class ResponseHeaderForm(TextsTranslatedOnce, forms.ModelForm):
    """The response itself, with the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Response
        fields = ["title", "addressed_to", "summary"]
        # Wide enough to read a whole title or addressee (the CSS lets them fill the
        # form's width).
        widgets = {
            "title": forms.TextInput(attrs={"class": "input-wide", "size": 80}),
            "addressed_to": forms.TextInput(attrs={"class": "input-wide", "size": 80}),
        }


class EntryForm(TextsTranslatedOnce, forms.Form):
    """The board's answer on one recommendation. Until it is first saved it may stay
    unanswered (no status): a draft is saved a part at a time, and handing in or
    publishing asks for every answer (``services.lacks_answers``)."""

    status = StatusSelect(label=_("Nämndens status"))
    narrative = forms.CharField(
        label=_("Redovisning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad har gjorts, vad planeras, och med vilken effekt."),
    )

    def __init__(self, *args, answered: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not answered:
            status = self.fields["status"]
            status.required = False
            status.help_text = _(
                "Kan lämnas tom tills vidare: svaret och dess åtgärder sparas när du har "
                "valt status. Alla svar behövs innan yttrandet lämnas in eller publiceras."
            )

    @property
    def is_left_for_later(self) -> bool:
        """Valid and without a status: nothing under this recommendation is saved."""
        return not self.cleaned_data.get("status")

    def refuse_unanswered_work(self) -> None:
        """Text or measures under a recommendation left for later would be lost: ask for
        the status instead."""
        self.add_error(
            "status",
            _("Välj nämndens status, annars kan svaret och åtgärderna under den inte sparas."),
        )


def column_length(model, name: str) -> int:
    """The longest text ``model``'s field ``name`` holds: a form's limit is the column's,
    never a number of its own, so a longer value is said beside the field instead of
    failing at the database."""
    return model._meta.get_field(name).max_length


# A measure's title is often a line of text: a box wide enough to read it whole.
MEASURE_TITLE_INPUT = forms.TextInput(attrs={"class": "input-wide", "size": 60})


class MeasureUpdateForm(TextsTranslatedOnce, forms.Form):
    """This round's report on an existing measure; moving its due date needs a reason."""

    # Reported here in full, under no other recommendation's lead (as
    # ``SharedMeasureUpdateForm.leading`` is): the edit page asks each measure's form. A
    # form without the attribute made the template engine search the form's every name
    # (``dir``) before it gave up, 16 times on the benchmark's draft.
    leading = None

    status = StatusSelect(label=_("Status"))
    note = forms.CharField(
        label=_("Lägesrapport"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due = FuzzyDateField(label=_("Klart senast"), required=False)
    due_reason = forms.CharField(
        label=_("Skäl till nytt slutdatum"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs om slutdatumet ändras."),
    )
    completed = FuzzyDateField(label=_("Genomförd"), required=False)
    effect = forms.CharField(
        label=_("Effekt"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, measure, **kwargs):
        self.measure = measure
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        # A measure without a due date that gets one is not moved: nothing to explain. A
        # form without the reason field (``OwnMeasureForm``) corrects, it does not move.
        moved = (
            "due_reason" in self.fields
            and "due" in cleaned
            and self.measure.due is not None
            and cleaned["due"] != self.measure.due
        )
        if moved and not cleaned.get("due_reason", "").strip():
            self.add_error(
                "due_reason",
                _("Ange varför slutdatumet ändras (tidigare %(previous)s).")
                % {"previous": fuzzy_date_as_input(self.measure.due)},
            )
        _require_completed_date(self, cleaned)
        return cleaned


class OwnMeasureForm(MeasureUpdateForm):
    """A measure this draft announced. Nobody else has seen it yet, so staff may still
    correct what they typed (its title, who is responsible, its due date: a correction,
    not a move, so no reason is asked) or take it out of the draft."""

    title = forms.CharField(
        label=_("Åtgärd"), max_length=column_length(Measure, "title"), widget=MEASURE_TITLE_INPUT
    )
    responsible = forms.CharField(
        label=_("Ansvarig"), max_length=column_length(Measure, "responsible"), required=False
    )
    remove = forms.BooleanField(label=_("Ta bort åtgärden ur utkastet"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["due_reason"]

    def clean(self):
        if self.cleaned_data.get("remove"):
            return self.cleaned_data  # nothing of it is kept: its dates need no checking
        return super().clean()


class SharedMeasureUpdateForm(TextsTranslatedOnce, forms.Form):
    """A shared measure's report under another recommendation it serves: status and note.

    Its due date, completion and effect are reported once, in the leading section (the
    measure's main recommendation when the board answers it)."""

    status = StatusSelect(label=_("Status"))
    note = forms.CharField(
        label=_("Lägesrapport"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, measure, leading, **kwargs):
        self.measure = measure
        self.leading = leading
        super().__init__(*args, **kwargs)


class NewMeasureForm(TextsTranslatedOnce, forms.Form):
    """A measure announced in this round."""

    title = forms.CharField(
        label=_("Ny åtgärd"),
        max_length=column_length(Measure, "title"),
        widget=MEASURE_TITLE_INPUT,
        # Something else was typed in the new measure: it needs its name, or nothing at all.
        error_messages={
            "required": _(
                "Skriv vad åtgärden är, eller töm de andra fälten under Ny åtgärd om "
                "ingen ny åtgärd ska läggas till."
            )
        },
    )
    responsible = forms.CharField(
        label=_("Ansvarig"), max_length=column_length(Measure, "responsible"), required=False
    )
    due = FuzzyDateField(label=_("Klart senast"), required=False)
    status = StatusSelect(label=_("Status"), initial=Status.PLANNED)
    completed = FuzzyDateField(label=_("Genomförd"), required=False)
    effect = forms.CharField(
        label=_("Effekt"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def has_changed(self):
        # The status select is pre-filled: a form is "used" once something is typed or
        # another status chosen; then a missing title is said, never silently dropped.
        typed = ["title", "responsible", "due", "completed", "effect"]
        return any(self[name].value() for name in typed) or (
            self["status"].value() not in (None, "", Status.PLANNED)
        )

    def clean(self):
        cleaned = super().clean()
        _require_completed_date(self, cleaned)
        return cleaned


# One blank measure per recommendation: saving the draft makes it a measure of its own and
# offers the next blank one. Two were offered before; with eight recommendations that was
# sixteen empty sections to scroll past on the page (and 96 of its 212 fields).
NewMeasureFormSet = forms.formset_factory(NewMeasureForm, extra=1, max_num=20, validate_max=True)


def _require_completed_date(form, cleaned):
    """The measure's rule (``completion_problem``), shown beside the field; and what staff
    report as done has begun by today (a date to come is the due date, "Klart senast")."""
    if "status" not in cleaned or "completed" not in cleaned:
        return  # an invalid value has its own message
    if problem := completion_problem(cleaned["status"], cleaned["completed"]):
        form.add_error("completed", problem)
    elif cleaned["completed"] and cleaned["completed"].start > timezone.localdate():
        form.add_error(
            "completed",
            _(
                "En åtgärd kan inte ha genomförts i framtiden. Ett datum då den ska vara klar "
                "anges under Klart senast."
            ),
        )


class SubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision_date = DayThatHasComeField(
        label=_("Beslutsdatum"),
        error_messages={"future": _("Beslutsdatumet kan inte ligga i framtiden.")},
        help_text=_("Dagen då nämnden beslutade yttrandet."),
    )
    diary_number = forms.CharField(
        label=_("Diarienummer"),
        max_length=column_length(Response, "diary_number"),
        help_text=_("Till exempel ASN-2026-1234."),
    )

    def refuse(self, error: forms.ValidationError) -> None:
        """Show why publishing was refused (``services.require_publishable``) beside the
        field at fault, in the page's list of errors; what no field of this form holds
        (a missing answer) above the fields."""
        by_field = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
        for name, messages in by_field.items():
            self.add_error(name if name in self.fields else None, messages)


PDF_MAGIC = b"%PDF-"


class DecisionDocumentForm(TextsTranslatedOnce, forms.Form):
    """The signed decision as a PDF: checked by extension, content and size."""

    # Not required to publish a response, so not marked "(obligatoriskt)"; an upload
    # without a file is still refused (clean_decision_document).
    decision_document = forms.FileField(
        label=_("Beslutat yttrande (PDF)"),
        required=False,
        help_text=_("Frivilligt: det justerade yttrandet eller protokollsutdraget."),
    )

    def clean_decision_document(self):
        upload = self.cleaned_data["decision_document"]
        if not upload:
            raise forms.ValidationError(_("Välj en PDF-fil att bifoga."), code="required")
        if Path(upload.name).suffix.lower() != ".pdf":
            raise forms.ValidationError(_("Filen måste vara en PDF (filändelsen .pdf)."))
        if upload.size > settings.MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(
                _("Filen är för stor (%(size)s); högst %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.MAX_ATTACHMENT_BYTES),
                }
            )
        upload.seek(0)
        head = upload.read(len(PDF_MAGIC))
        upload.seek(0)
        if head != PDF_MAGIC:
            raise forms.ValidationError(_("Filen är inte en PDF, även om namnet slutar på .pdf."))
        return upload

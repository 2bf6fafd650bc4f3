"""Forms for the auditors: an assessment per round, closing a recommendation, the attention view."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from auditfollowup.lib.content_tags import ContentLanguageSelect
from auditfollowup.lib.dates import YEARS

from .models import FollowUpRound, Recommendation, closing_day_problem
from .status import status_choices


class AssessmentForm(forms.Form):
    round = forms.ModelChoiceField(
        queryset=FollowUpRound.objects.none(),
        label=_("Omgång"),
        empty_label=_("Välj omgång"),
        widget=ContentLanguageSelect,  # the rounds' titles are the documents'
        error_messages={"required": _("Välj vilken omgång bedömningen gäller.")},
    )
    status = forms.ChoiceField(
        label=_("Revisionens bedömning"),
        choices=status_choices,
        error_messages={"required": _("Välj revisionens bedömning av läget.")},
    )
    comment = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, recommendation: Recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        rounds = recommendation.audit.rounds.order_by("sequence")
        self.fields["round"].queryset = rounds
        self.fields["round"].label_from_instance = _round_label
        # The round the page shows is the one assessed: named, and sent as a hidden field,
        # so what the form holds (that round's assessment) never goes to another round.
        # Another round is opened with the page's own chooser (``RoundChooser``).
        chosen = str(self["round"].value() or "")
        self.chosen_round = next((r for r in rounds if str(r.pk) == chosen), None)
        if self.chosen_round is not None:
            self.fields["round"].widget = forms.HiddenInput()

    @classmethod
    def opened_for(cls, *, recommendation: Recommendation, round_pk, assessments):
        """The empty form for the round ``round_pk``, holding the auditors' assessment of
        that round when there is one (found among ``assessments``, the page's list of
        them): correcting a comment starts from the comment, not from an empty box that
        would replace it."""
        initial = {"round": round_pk}
        made = next((a for a in assessments if str(a.round_id) == str(round_pk)), None)
        if made is not None:
            initial.update(status=made.status, comment=made.comment)
        return cls(recommendation=recommendation, initial=initial)


def _round_label(round_: FollowUpRound) -> str:
    return f"{round_.sequence}. {round_.title}"


class RoundChooser(forms.Form):
    """The round whose answers the assessment page shows and whose assessment its form
    holds (``?omgang=``)."""

    omgang = forms.ModelChoiceField(
        queryset=FollowUpRound.objects.none(),
        label=_("Omgång att visa och bedöma"),
        required=False,  # a choice among the rounds, never empty: not marked as required
        empty_label=None,
        widget=ContentLanguageSelect,  # the rounds' titles are the documents'
    )

    def __init__(self, *args, recommendation: Recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["omgang"].queryset = recommendation.audit.rounds.order_by("sequence")
        self.fields["omgang"].label_from_instance = _round_label


class CloseForm(forms.Form):
    closed_on = forms.DateField(
        label=_("Avslutad den"), widget=forms.DateInput(attrs={"type": "date"})
    )
    closed_reason = forms.CharField(
        label=_("Skäl för avslut"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Ange varför rekommendationen avslutas.")},
    )

    def clean_closed_on(self):
        value = self.cleaned_data["closed_on"]
        if problem := closing_day_problem(value):
            raise forms.ValidationError(problem)
        return value


class AttentionForm(forms.Form):
    since = forms.DateField(
        label=_("Inlämnade eller publicerade sedan"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The field shows the day the page's heading counts from, also before one is chosen.
        self.fields["since"].initial = self.default_since()

    def clean_since(self):
        value = self.cleaned_data["since"]
        if value is not None and value.year not in YEARS:
            # 0001-01-01 at midnight, in Swedish time, lies before the first UTC instant.
            raise forms.ValidationError(
                _("Året måste ligga mellan %(first)d och %(last)d.")
                % {"first": YEARS.start, "last": YEARS.stop - 1}
            )
        return value

    @staticmethod
    def default_since() -> dt.date:
        return timezone.localdate() - dt.timedelta(days=90)

    def since_date(self) -> dt.date:
        if self.is_valid() and self.cleaned_data["since"]:
            return self.cleaned_data["since"]
        return self.default_since()

    def shortcuts(self) -> list[tuple[str, str, bool]]:
        """The days a weekly reader picks in one click instead of typing a date: a week,
        thirty days and the default ninety back. Each as (label, ``?since=`` day, whether
        it is the day the page counts from)."""
        today, since = timezone.localdate(), self.since_date()
        days = (
            (_("senaste veckan"), today - dt.timedelta(days=7)),
            (_("senaste 30 dagarna"), today - dt.timedelta(days=30)),
            (_("senaste 90 dagarna"), self.default_since()),
        )
        return [(label, day.isoformat(), day == since) for label, day in days]

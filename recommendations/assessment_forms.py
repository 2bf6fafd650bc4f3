"""Forms for the auditors: an assessment per round, closing a recommendation, the attention view."""

import datetime as dt
import hashlib
import json

from django import forms
from django.core.validators import RegexValidator
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from auditfollowup.lib.content_tags import ContentLanguageSelect
from auditfollowup.lib.date_fields import DayField
from auditfollowup.lib.dates import year_problem
from auditfollowup.lib.fuzzy_date_forms import fuzzy_date_form

from . import municipal_links
from .models import Audit, Board, FollowUpRound, Recommendation, closing_day_problem
from .reminders import SCHEDULE
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

    def chosen_pk(self) -> int | None:
        """The pk of the round asked for, None without one (the page then shows the latest
        answered); only for a valid form."""
        chosen = self.cleaned_data["omgang"] if self.is_bound else None
        return chosen.pk if chosen else None


class CloseForm(forms.Form):
    closed_on = DayField(label=_("Avslutad den"))
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
    since = DayField(label=_("Inlämnade eller publicerade sedan"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The field shows the day the page's heading counts from, also before one is chosen.
        self.fields["since"].initial = self.default_since()

    def clean_since(self):
        value = self.cleaned_data["since"]
        # 0001-01-01 at midnight, in Swedish time, lies before the first UTC instant.
        if value is not None and (problem := year_problem(value.year)):
            raise forms.ValidationError(problem)
        return value

    @staticmethod
    def default_since() -> dt.date:
        return timezone.localdate() - dt.timedelta(days=90)

    def since_date(self) -> dt.date | None:
        """The day chosen, else ``default_since``; None for a day the form refuses, which
        the page answers with the form's error and no list (never the default's)."""
        if not self.is_bound:
            return self.default_since()
        if not self.is_valid():
            return None
        return self.cleaned_data["since"] or self.default_since()

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


class Meanwhile(Exception):
    """A round form was sent from a page that no longer shows what is stored: a colleague
    (or the same form sent twice) wrote first. Nothing is saved; the view answers 409 with
    the form as typed and ``message`` at the top, and ``current``, the object as it now
    stands, when the page shows it."""

    message = ""
    current = None


class RoundAskedMeanwhile(Meanwhile):
    """The round a new-round form announced was opened while the form was open (by a
    colleague, or by the same form sent twice): the form asks for nothing."""

    def __init__(self, taken: int):
        super().__init__(taken)
        self.taken = taken
        self.message = _(
            "Omgång %(number)s har begärts medan formuläret var öppet, av en kollega eller "
            "när det skickades två gånger. Se granskningens sida innan du begär en omgång "
            "till: skickat igen blir formuläret omgång %(next)s."
        ) % {"number": taken, "next": taken + 1}


class RoundChangedMeanwhile(Meanwhile):
    """The round a change form showed was changed while the form was open: the form
    changes nothing, and ``current`` (the round as it now stands, asks prefetched) is
    shown beside it."""

    def __init__(self, current: FollowUpRound):
        super().__init__(current.pk)
        self.current = current
        self.message = _(
            "Någon annan har ändrat omgång %(number)s medan formuläret var öppet, så inget "
            "av det du skrev är sparat. Jämför med omgången som den nu är, nedan: skickat "
            "igen ersätter formuläret den."
        ) % {"number": current.sequence}


# A form whose hidden field did not arrive as the page sent it.
NOT_WHOLE = _("Formuläret kom inte fram helt. Skicka det igen.")


class ChangedOnlyAsShown(forms.ModelForm):
    """A form changing a follow-up round, which saves only if the round is still as its
    page showed it: the page carries a fingerprint of the values the form edits
    (``shown_fingerprint``, a hidden field; ``fingerprint``, one reckoning for the page
    and the check), compared under a row lock on the round (``refuse_changed_meanwhile``)
    in the save's transaction. The auditors' form (``FollowUpRequestForm``) and the
    admin's change form of a round are both such forms, so an auditor and an admin
    saving one round do not overwrite each other unseen either. A new round has nothing
    to overwrite: its form has no fingerprint."""

    shown_fingerprint = forms.CharField(
        widget=forms.HiddenInput,
        min_length=16,
        max_length=16,
        validators=[RegexValidator(r"^[0-9a-f]{16}\Z")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # Read before the form is validated, which writes what was typed into the
            # instance; ``model_to_dict`` reads the asks the page prefetched.
            self.fields["shown_fingerprint"].initial = self.fingerprint(self.instance)
        else:
            del self.fields["shown_fingerprint"]  # a new round has nothing to overwrite

    def clean(self):
        cleaned = super().clean()
        if self.errors.pop("shown_fingerprint", None):
            # A hidden field, shown nowhere: said at the top (a page that was not whole;
            # the form shown again shows the round anew).
            self.add_error(None, NOT_WHOLE)
            self.show_round_anew(self.fields["shown_fingerprint"].initial)
        return cleaned

    @classmethod
    def fingerprint(cls, round_: FollowUpRound) -> str:
        """A short hash of what this form edits of ``round_``, as stored: the page sends
        it in ``shown_fingerprint``, and the save compares it with the round's under a lock.
        The one reckoning for both, over the form's own fields, so they cannot drift."""
        fields = None
        if cls._meta.fields is not None:
            fuzzy = getattr(cls, "fuzzy_dates", ())
            fields = [
                *cls._meta.fields,
                *(f"{n}_{p}" for n in fuzzy for p in ("date", "precision")),
            ]
        values = model_to_dict(round_, fields=fields)
        values["asks"] = sorted(board.pk for board in values.get("asks", []))
        text = json.dumps(values, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def show_round_anew(self, fingerprint: str) -> None:
        """The form shown again carries ``fingerprint``, the round as the page now shows
        it: sent again, it replaces that round (the choice of someone who has seen it)."""
        self.data = self.data.copy()
        self.data["shown_fingerprint"] = fingerprint

    def refuse_changed_meanwhile(self) -> None:
        """Raise ``RoundChangedMeanwhile`` (and show the round anew) unless the round is
        still as the page showed it. Run inside the save's transaction: the round's row
        stays locked until the save commits, so of two saves sent from pages showing the
        same round, the second waits, then finds the round changed and saves nothing
        (the first one's change lost unseen)."""
        current = (
            FollowUpRound.objects.select_for_update()
            .prefetch_related("asks")
            .get(pk=self.instance.pk)
        )
        if self.fingerprint(current) != self.cleaned_data["shown_fingerprint"]:
            self.show_round_anew(self.fingerprint(current))
            raise RoundChangedMeanwhile(current)


class FollowUpRequestForm(fuzzy_date_form(FollowUpRound, "deadline", base=ChangedOnlyAsShown)):
    """The auditors ask the boards for a follow-up: a new round of an audit (or a change
    to one, its deadline moved, or closed for answers once it is done). What the admin's
    round form holds, for the auditors' own pages; the round's number is the next one,
    the one the page announced (``announced_sequence``, a hidden field of a new round's
    form), or none is opened (``RoundAskedMeanwhile``). A round changed is changed only
    as the page showed it, or not at all (``ChangedOnlyAsShown``): two auditors saving
    the same round no longer overwrite each other unseen."""

    announced_sequence = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=32767)

    class Meta:
        model = FollowUpRound
        fields = ["kind", "title", "requested_by", "request", "asks", "is_open"]
        widgets = {
            "title": forms.TextInput(attrs={"size": 60}),
            "requested_by": forms.TextInput(attrs={"size": 60}),
            "request": forms.Textarea(attrs={"rows": 5}),
            "asks": forms.CheckboxSelectMultiple,
        }
        labels = {"request": _("Vad revisionen begär")}
        help_texts = {
            "request": _("Vad nämnderna ska redovisa, med revisionens egna ord."),
            "asks": _(
                "Kryssa inga för att fråga varje nämnd som besvarar någon av granskningens "
                "rekommendationer."
            ),
        }

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.audit = audit
        self.instance.audit = audit
        # The reminders' days from the schedule the mail planner counts (``reminders``).
        self.fields["is_open"].help_text = ngettext(
            "Nämndernas handläggare får besked samma dag, kan då lämna yttranden i "
            "omgången och påminns %(early)s och %(last)s dag före sista svarsdagen.",
            "Nämndernas handläggare får besked samma dag, kan då lämna yttranden i "
            "omgången och påminns %(early)s och %(last)s dagar före sista svarsdagen.",
            SCHEDULE.last_reminder,
        ) % {"early": SCHEDULE.early_reminder, "last": SCHEDULE.last_reminder}
        deadline = self.fields["deadline"]
        deadline.label = _("Sista svarsdag")
        deadline.help_text = _(
            "Behövs när omgången är öppen. Så exakt som det är känt: 2026-05-31, maj 2026, "
            "hösten 2026 eller 2027."
        )
        # The audit's municipality's boards, offices and executive board; not the auditors'
        # own body, which asks rather than answers (``Board.objects.audited``).
        self.fields["asks"].queryset = (
            Board.objects.filter(municipality_id=audit.municipality_id).audited().order_by("name")
        )
        if self.instance.pk is not None:
            del self.fields["announced_sequence"]  # a round changed keeps its number
        else:
            has_rounds = audit.rounds.exists()
            self.initial.setdefault(
                "kind",
                FollowUpRound.Kind.MEASURES_TAKEN
                if has_rounds
                else FollowUpRound.Kind.FIRST_RESPONSE,
            )
            self.initial.setdefault("requested_by", audit.auditor.name)
            self.initial.setdefault("is_open", True)

    def clean(self):
        cleaned = super().clean()
        if self.errors.pop("announced_sequence", None):
            # As a missing fingerprint (``ChangedOnlyAsShown``): the form shown again
            # announces the number anew.
            self.add_error(None, NOT_WHOLE)
        deadline = cleaned.get("deadline")
        if cleaned.get("is_open") and "asks" in cleaned and not self._asks_anyone(cleaned["asks"]):
            self.add_error(
                "asks",
                _(
                    "Omgången frågar ingen nämnd: ingen nämnd besvarar en öppen "
                    "rekommendation i granskningen. Kryssa de nämnder den ska fråga, eller "
                    "lämna omgången stängd."
                ),
            )
        if not cleaned.get("is_open") or "deadline" in self.errors:
            return cleaned  # a closed round is not chased: its deadline may be any or none
        if deadline is None:
            self.add_error("deadline", _("Ange när nämnderna senast ska svara i en öppen omgång."))
        elif self._asks_anew(deadline) and deadline.is_past(timezone.localdate()):
            # A new or moved deadline that has passed would chase the boards for an answer
            # already late the day they are asked; an open round may keep its own.
            self.add_error(
                "deadline",
                _(
                    "Sista svarsdagen har redan passerat. Ange en senare dag, eller kryssa ur "
                    "Öppen för yttranden om omgången bara ska registreras i efterhand."
                ),
            )
        return cleaned

    def _asks_anyone(self, named) -> bool:
        """Whether the round asks a board: one it names, else one answering an open
        recommendation of the audit (``FollowUpRoundQuerySet.asking_any_of``'s rule)."""
        if named:
            return True
        boards = self.fields["asks"].queryset
        return FollowUpRound.objects.answered_in(self.audit, boards).exists()

    def _asks_anew(self, deadline) -> bool:
        """Whether saving the form asks the boards (again) to answer by ``deadline``: a
        new round, one reopened (its boards are told the day it opens, ``opened_on``) or a
        moved deadline; not an open round kept as it was asked."""
        was_open = self.instance.pk is not None and self.instance.loaded_value("is_open")
        return not was_open or deadline != self.initial.get("deadline")

    def save(self, commit=True):
        with transaction.atomic():
            if self.instance.pk is None:
                # Two auditors asking at once, or one form sent twice: the audit's row is
                # locked while the next number is read, so the second waits, then finds
                # the number its page announced taken and opens nothing (a second round
                # nobody saw announced, asking the boards the same again).
                Audit.objects.select_for_update().filter(pk=self.audit.pk).first()
                number = FollowUpRound.objects.next_sequence(self.audit)
                if number != self.cleaned_data["announced_sequence"]:
                    raise RoundAskedMeanwhile(number - 1)
                self.instance.sequence = number
            else:
                self.refuse_changed_meanwhile()  # two auditors changing one round
            # The boards asked are the municipality's (the field offers no other): the
            # guard on links added checks them without reading them again.
            municipal_links.remember_read(self.instance, {"asks": self.cleaned_data["asks"]})
            return super().save(commit=commit)

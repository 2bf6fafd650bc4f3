from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Frequency, Kind, Language, Preference, Profile


class AccountForm(forms.Form):
    """Mitt konto: the language of mails and, per kind, off / at once / weekly."""

    language = forms.ChoiceField(
        label=_("Språk i e-post"), choices=Language.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        self.kinds = Kind.user_choices(user)
        super().__init__(*args, **kwargs)
        known = Preference.objects.frequencies([user])
        self.initial.setdefault("language", Profile.for_user(user).language)
        for kind, label in self.kinds:
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=Frequency.choices, widget=forms.RadioSelect
            )
            self.initial.setdefault(kind, Preference.frequency_for(user, kind, known))

    def kind_fields(self):
        return [self[kind] for kind, _label in self.kinds]

    @transaction.atomic
    def save(self) -> None:
        profile = Profile.for_user(self.user)
        profile.language = self.cleaned_data["language"]
        profile.save(update_fields=["language"])
        for kind, _label in self.kinds:
            Preference.objects.update_or_create(
                user=self.user, kind=kind, defaults={"frequency": self.cleaned_data[kind]}
            )


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Din e-postadress"),
        max_length=254,
        error_messages={"invalid": _("Skriv en e-postadress, till exempel namn@example.se.")},
    )


class LocalizedPasswordResetForm(PasswordResetForm):
    """Django's reset form, writing the mail in the recipient's chosen language."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        profile = Profile.objects.filter(user=context["user"]).first()
        language = profile.language if profile else Language.SWEDISH
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)

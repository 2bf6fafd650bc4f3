from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import punycode
from django.utils.translation import gettext_lazy as _

from . import limits, mail, outbox
from .models import Follower, Frequency, Kind, Language, Preference, Profile, writes_to


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
        # What the follow stores it in holds (Follower.email), said on the input too.
        max_length=Follower._meta.get_field("email").max_length,
        error_messages={"invalid": _("Skriv en e-postadress, till exempel namn@example.se.")},
    )

    def clean_email(self):
        """Only an address a mail goes to as it is written: a quoted or escaped name, an
        encoded word or a control character in it is sent to another spelling of the
        address (``mail.sent_address``), which the limit on confirmations would count as
        a mailbox of its own. An international domain is fine (its ASCII form is the
        same domain). Nor a host without a domain or an IP address ("root@localhost",
        "anna@[127.0.0.1]", which Django's check lets through): no reader's mailbox, but
        the mail server's own."""
        email = self.cleaned_data["email"]
        local, _at, domain = email.rpartition("@")
        try:
            sent = mail.sent_address(email)
        except ValueError:
            sent = None
        if "." not in domain or domain.startswith("[") or sent != f"{local}@{punycode(domain)}":
            raise forms.ValidationError(self.fields["email"].error_messages["invalid"])
        return email


# Reset links mailed from the open form in an hour: to one mailbox, and from one client
# to whatever addresses (an office behind one address, a colleague locked out).
RESETS_PER_HOUR = 3
RESETS_PER_CLIENT_HOUR = 20


class LocalizedPasswordResetForm(PasswordResetForm):
    """Django's reset form, writing the mail in the recipient's chosen language, marked
    as sent by a machine like every other mail of the product (``mail.message``), and
    only to an address mail is written to (``writes_to``): not to one the mail server
    refused for good. The page says the same either way (Django's view)."""

    def get_users(self, email):
        users = list(super().get_users(email))
        refused = Profile.objects.refused_addresses(users)
        return [user for user in users if writes_to(user, refused.get(user.pk, ""))]

    def save(self, *args, request=None, **kwargs):
        """Mail the reset link, unless the mailbox had three this hour or the client twenty
        (``limits``): the form is open to anyone, and must not be a way to flood someone's
        mailbox. Whether the address has an account or not, it is counted alike, and the
        page says the same (a mail over the limit is not sent; those before it hold a
        link that works)."""
        email = self.cleaned_data["email"]
        if limits.mailbox_within("reset", email, RESETS_PER_HOUR) and limits.client_within(
            "reset", request, RESETS_PER_CLIENT_HOUR
        ):
            super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        with translation.override(Profile.language_of(context["user"])):
            subject = " ".join(render_to_string(subject_template_name, context).split())
            text = render_to_string(email_template_name, context)
            html = (
                render_to_string(html_email_template_name, context)
                if html_email_template_name
                else None
            )
        message = mail.message(subject, text, to=to_email, html=html, from_email=from_email)
        user_id = context["user"].pk

        def refused(error):
            # An address the mail server refused for good is kept on the profile, as the
            # outbox keeps it: no mail goes there again, and the user and the admins see why.
            found = outbox.refusal(error)
            if found is not None and found.address_gone:
                Profile.record_refusal(user_id, to_email, timezone.now(), found.answer)

        # Sent after the answer (``mail.send_after_response``): the page says the same
        # whether or not a mail goes, and takes as long, so that nobody learns from it
        # which addresses have an account.
        mail.send_after_response(
            message, about=f"the password reset to user {user_id}", on_failure=refused
        )

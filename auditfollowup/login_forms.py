"""The login forms of the site and of the admin: Django's, refusing a username longer
than any user's before anyone tries to authenticate it.

Django's ``AuthenticationForm`` sets the username field's ``max_length`` only after the
field is built, so the length is never validated: a 300-character username was
authenticated, and the failed login's record (django-axes' ``AccessAttempt.username``,
255 characters) made PostgreSQL refuse the insert, a server error instead of the form.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class UsernameLengthMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class LoginForm(UsernameLengthMixin, AuthenticationForm):
    pass


class AdminLoginForm(UsernameLengthMixin, AdminAuthenticationForm):
    pass

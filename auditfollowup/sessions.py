"""The session engine: Django's database sessions, taking a session cookie only in the form
Django gives it.

A cookie's value may be quoted with octal escapes (``sessionid="\\000\\000..."``), which
Django's cookie parser turns into NUL characters; looked up as it came, PostgreSQL refused
the query and every page answered 500 to that one cookie. A key of other characters than
Django's own is no session, as an unknown one is.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and set(key) <= set(VALID_KEY_CHARS)

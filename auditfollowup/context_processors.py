"""Template context every page shares."""

from django.conf import settings


def content_language(request):
    """The language the municipalities' documents are written in (``CONTENT_LANGUAGE``):
    templates mark the documents' own text with it (``lang="{{ CONTENT_LANGUAGE }}"``), so
    that in the English interface a screen reader reads a recommendation or an answer as
    Swedish, not as English (WCAG 3.1.2, language of parts)."""
    return {"CONTENT_LANGUAGE": settings.CONTENT_LANGUAGE}


def site_url(request):
    """The address people reach the site at (``SITE_URL``), for the printed page's address:
    the request's own Host header is the client's word, and one not in ALLOWED_HOSTS made
    the very 400 page that refuses it fail."""
    return {"SITE_URL": settings.SITE_URL}

"""Template context every page shares."""

from django.conf import settings


def content_language(request):
    """The language the municipalities' documents are written in (``CONTENT_LANGUAGE``):
    templates mark the documents' own text with it (``lang="{{ CONTENT_LANGUAGE }}"``), so
    that in the English interface a screen reader reads a recommendation or an answer as
    Swedish, not as English (WCAG 3.1.2, language of parts)."""
    return {"CONTENT_LANGUAGE": settings.CONTENT_LANGUAGE}

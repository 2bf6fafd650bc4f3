"""URLs for board staff writing responses (included from responses/urls.py)."""

from django.urls import path

from . import staff_views

urlpatterns = [
    path("yttranden/nytt/", staff_views.response_start, name="response_start"),
    path("yttranden/<int:pk>/redigera/", staff_views.response_edit, name="response_edit"),
    path(
        "yttranden/<int:pk>/forhandsgranska/",
        staff_views.response_preview,
        name="response_preview",
    ),
    path("yttranden/<int:pk>/lamna-in/", staff_views.response_submit, name="response_submit"),
    path("yttranden/<int:pk>/publicera/", staff_views.response_publish, name="response_publish"),
    path("yttranden/<int:pk>/dokument/", staff_views.response_document, name="response_document"),
    path(
        "yttranden/<int:pk>/dokument/bifoga/",
        staff_views.response_document_upload,
        name="response_document_upload",
    ),
    path("yttranden/<int:pk>/historik/", staff_views.response_history, name="response_history"),
]

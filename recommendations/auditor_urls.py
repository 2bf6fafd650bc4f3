"""URLs for the auditors' work: assessments, closing, follow-up rounds, what needs attention,
history."""

from django.urls import path

from . import assessment_views

app_name = "auditors"

urlpatterns = [
    path("att-granska/", assessment_views.attention, name="attention"),
    path(
        "rekommendationer/<int:pk>/bedomning/",
        assessment_views.assess,
        name="assess",
    ),
    path(
        "granskningar/<int:pk>/ny-omgang/",
        assessment_views.request_follow_up,
        name="request_follow_up",
    ),
    path(
        "granskningar/<int:pk>/omgangar/<int:round_pk>/",
        assessment_views.request_follow_up,
        name="change_follow_up",
    ),
    path("rekommendationer/<int:pk>/avsluta/", assessment_views.close, name="close"),
    path(
        "rekommendationer/<int:pk>/historik/",
        assessment_views.recommendation_history,
        name="recommendation_history",
    ),
]

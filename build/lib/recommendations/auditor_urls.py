"""URLs for the auditors' work: assessments, closing, what needs attention, history."""

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
    path("rekommendationer/<int:pk>/avsluta/", assessment_views.close, name="close"),
    path(
        "rekommendationer/<int:pk>/historik/",
        assessment_views.recommendation_history,
        name="recommendation_history",
    ),
]

"""A municipality's public pages: ``/<slug>/`` and beneath it (``municipal.py``).

The same views as the national pages, each wrapped by ``for_municipality``, which resolves
the slug and scopes them to that municipality.
"""

from django.urls import path
from django.views.decorators.http import require_safe

from responses import views as response_views

from . import api, exports, views
from .feeds import published_responses_feed
from .municipal import for_municipality

app_name = "municipal"


def page(route, view, name):
    return path(route, for_municipality(view), name=name)


urlpatterns = [
    page("", views.home, "home"),
    page("rekommendationer/", views.recommendation_list, "recommendation_list"),
    page("rekommendationer/export.csv", exports.recommendations_csv, "recommendation_list_csv"),
    page("rekommendationer/export.xlsx", exports.recommendations_xlsx, "recommendation_list_xlsx"),
    page("rekommendationer/<int:pk>/", views.recommendation_detail, "recommendation_detail"),
    page("granskningar/<int:pk>/", views.audit_detail, "audit_detail"),
    page("namnder/<int:pk>/", views.board_detail, "board_detail"),
    page("yttranden/<int:pk>/", response_views.response_detail, "response_detail"),
    page("matris/", views.matrix, "matrix"),
    page("matris/export.csv", exports.matrix_csv, "matrix_csv"),
    page("matris/export.xlsx", exports.matrix_xlsx, "matrix_xlsx"),
    page("api/rekommendationer/", api.recommendations, "api_recommendations"),
    page("flode/yttranden/", require_safe(published_responses_feed), "response_feed"),
]

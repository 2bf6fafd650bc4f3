from django.urls import path
from django.views.decorators.http import require_safe

from . import api, exports, municipal, open_data, views
from .feeds import published_responses_feed

app_name = "recommendations"

urlpatterns = [
    path("", views.national_home, name="home"),
    path("rekommendationer/", views.recommendation_list, name="recommendation_list"),
    path(
        "rekommendationer/export.csv",
        exports.recommendations_csv,
        name="recommendation_list_csv",
    ),
    path(
        "rekommendationer/export.xlsx",
        exports.recommendations_xlsx,
        name="recommendation_list_xlsx",
    ),
    path(
        "rekommendationer/export.schema.json",
        open_data.recommendation_list_schema,
        name="recommendation_list_schema",
    ),
    # The list xlsx's other sheets, beside the list's own schema.
    path(
        "rekommendationer/export-atgarder.schema.json",
        open_data.measures_table_schema,
        name="measures_schema",
    ),
    path(
        "rekommendationer/export-tidslinje.schema.json",
        open_data.timeline_table_schema,
        name="timeline_schema",
    ),
    # The old addresses of the pages that now live beneath their municipality
    # (municipal_urls.py): a permanent redirect there.
    path(
        "rekommendationer/<int:pk>/",
        municipal.moved_recommendation,
        name="moved_recommendation",
    ),
    path("granskningar/<int:pk>/", municipal.moved_audit, name="moved_audit"),
    path("namnder/<int:pk>/", municipal.moved_board, name="moved_board"),
    path("yttranden/<int:pk>/", municipal.moved_response, name="moved_response"),
    path("matris/", views.matrix, name="matrix"),
    path("matris/export.csv", exports.matrix_csv, name="matrix_csv"),
    path("matris/export.xlsx", exports.matrix_xlsx, name="matrix_xlsx"),
    path("matris/export.schema.json", open_data.matrix_table_schema, name="matrix_schema"),
    path("oppna-data/", open_data.open_data, name="open_data"),
    path("datasets/dcat", open_data.dcat_catalog, name="dcat_catalog"),
    path(
        "datasets/dcat/<slug:slug>/",
        open_data.dcat_municipality_catalog,
        name="dcat_municipality_catalog",
    ),
    path("api/", api.documentation, name="api_documentation"),
    path("api/openapi.json", api.openapi_json, name="openapi"),
    path("api/rekommendationer/", api.recommendations, name="api_recommendations"),
    path("flode/yttranden/", require_safe(published_responses_feed), name="response_feed"),
]

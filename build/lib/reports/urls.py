"""The council report: /rapport/<municipality>/<year>/ (``?per=YYYY-MM-DD`` for as of a
day), with the same figures as PDF, xlsx and CSV beside it."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("rapport/", views.report_index, name="index"),
    path("rapport/<slug:slug>/<int:year>/", views.council_report, name="council_report"),
    path("rapport/<slug:slug>/<int:year>/rapport.pdf", views.council_report_pdf, name="pdf"),
    path("rapport/<slug:slug>/<int:year>/rapport.xlsx", views.council_report_xlsx, name="xlsx"),
    path("rapport/<slug:slug>/<int:year>/rapport.csv", views.council_report_csv, name="csv"),
]

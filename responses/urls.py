from django.urls import path

from . import views
from .staff_urls import urlpatterns as staff_urlpatterns

app_name = "responses"

urlpatterns = [
    path("yttranden/<int:pk>/", views.response_detail, name="response_detail"),
    *staff_urlpatterns,
]

from django.urls import path

from . import views

app_name = "responses"

urlpatterns = [
    path("yttranden/<int:pk>/", views.response_detail, name="response_detail"),
]

from .staff_urls import urlpatterns as staff_urlpatterns

app_name = "responses"

urlpatterns = [
    *staff_urlpatterns,
]

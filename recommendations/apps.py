from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"
    verbose_name = _("Granskningar och rekommendationer")

    def ready(self):
        from . import signals  # noqa: F401  (connects the search-vector receivers)

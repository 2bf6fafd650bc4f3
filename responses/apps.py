from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ResponsesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "responses"
    verbose_name = _("Yttranden och åtgärder")

    def ready(self):
        from django.apps import apps

        from auditfollowup.page_cache import watch_models
        from recommendations.role_groups import ensure_role_groups

        from . import measure_signals, signals, standing_signals  # noqa: F401  (the receivers)

        watch_models([apps.get_app_config("recommendations"), self])

        # Sent for this app after its permissions exist (responses is installed last).
        post_migrate.connect(ensure_role_groups, sender=self, dispatch_uid="ensure_role_groups")
        post_migrate.connect(
            standing_signals.rederive_after_migrations,
            sender=self,
            dispatch_uid="rederive_standings_after_migrations",
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("E-post och kalendrar")

    def ready(self):
        from responses.signals import response_published

        from .following import on_response_published

        response_published.connect(on_response_published, dispatch_uid="notifications_new_answer")

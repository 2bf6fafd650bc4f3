from django.apps import AppConfig


class DataImportConfig(AppConfig):
    name = "dataimport"

from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "habeas.importers"
    label = "importers"

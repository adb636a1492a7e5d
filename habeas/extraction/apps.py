from django.apps import AppConfig


class ExtractionConfig(AppConfig):
    name = "habeas.extraction"
    label = "extraction"
    verbose_name = "source intake and extraction"

from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "habeas.dossiers"
    label = "dossiers"

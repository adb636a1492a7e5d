from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "habeas.visits"
    label = "visits"

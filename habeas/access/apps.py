from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "habeas.access"
    label = "access"

from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "habeas.linkage"
    label = "linkage"

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "habeas.web"
    label = "web"

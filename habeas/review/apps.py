from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "habeas.review"
    label = "review"

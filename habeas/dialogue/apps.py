from django.apps import AppConfig


class DialogueConfig(AppConfig):
    name = "habeas.dialogue"
    label = "dialogue"

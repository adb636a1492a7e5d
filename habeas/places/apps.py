from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "habeas.places"
    label = "places"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "habeas.accounts"
    label = "accounts"

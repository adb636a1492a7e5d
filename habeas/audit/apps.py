from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "habeas.audit"
    label = "audit"

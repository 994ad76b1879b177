from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jangkau.audit"
    label = "audit"

from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "jangkau.backoffice"
    label = "backoffice"

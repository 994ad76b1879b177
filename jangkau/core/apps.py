from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jangkau.core"
    label = "core"

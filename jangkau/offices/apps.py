from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "jangkau.offices"
    label = "offices"

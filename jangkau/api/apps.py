from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jangkau.api"
    label = "api"

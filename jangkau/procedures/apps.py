from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "jangkau.procedures"
    label = "procedures"

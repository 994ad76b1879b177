from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jangkau.cases"
    label = "cases"

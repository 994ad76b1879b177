from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "jangkau.reports"
    label = "reports"

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "jangkau.surveys"
    label = "surveys"

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "jangkau.privacy"
    label = "privacy"

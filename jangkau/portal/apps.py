from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "jangkau.portal"
    label = "portal"

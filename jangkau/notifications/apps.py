from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jangkau.notifications"
    label = "notifications"

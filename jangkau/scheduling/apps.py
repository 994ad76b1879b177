from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "jangkau.scheduling"
    label = "scheduling"

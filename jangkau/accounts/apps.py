from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jangkau.accounts"
    label = "accounts"

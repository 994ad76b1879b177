from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jangkau.accounts"
    label = "accounts"

    def ready(self):
        from . import signals  # noqa: F401  (connects the audit of sign-ins)

import pytest

from .servers import run_gateway, run_smtp


@pytest.fixture
def smtp_server():
    yield from run_smtp()


@pytest.fixture
def gateway():
    yield from run_gateway()


@pytest.fixture
def live_channels(settings, smtp_server, gateway):
    """Sends for real: SMTP to the local server, WhatsApp (Cloud API format) and SMS (JSON webhook) to the
    local gateway, each delivery task run as soon as it is enqueued (after the commit)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.NOTIFY_GATEWAYS = {
        "whatsapp": {"url": gateway.url("/v21.0/123456/messages"), "token": "wa-token", "backend": "whatsapp-cloud"},
        "sms": {"url": gateway.url("/sms"), "token": "sms-token", "backend": "webhook"},
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.JANGKAU_PUBLIC_URL = "https://jangkau.example"
    return smtp_server, gateway

"""Sending one message over its channel: e-mail through SMTP, WhatsApp and SMS through HTTP gateways.

A gateway is configured by URL and token (``settings.NOTIFY_GATEWAYS``) and picks a backend: the generic
JSON webhook (any SMS or WhatsApp provider, or the office's own relay) or the WhatsApp Business Cloud API's
message format. A backend is a class with ``send(to, text, reference) -> provider reference``; a dotted path
names one of an installation's own.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils.module_loading import import_string

from .models import Channel

TIMEOUT_SECONDS = 15


class DeliveryError(Exception):
    """The message did not go out. ``permanent`` when retrying cannot help (no gateway, number refused)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    to: str
    subject: str
    text: str
    html: str
    reference: str
    attachments: tuple[tuple[str, bytes, str], ...] = ()


def _post_json(url: str, token: str, payload: dict, reference: str) -> dict:
    """POSTs ``payload`` and returns the JSON answer (empty when none). Raises DeliveryError: permanent for
    a 4xx other than 408/429 (the gateway refused this message), temporary for the rest."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            # Lets a gateway drop a repeat if we resend after a crash between its answer and our commit.
            "Idempotency-Key": reference,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (configured URL)
            raw = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode(errors="replace")
        permanent = 400 <= exc.code < 500 and exc.code not in (408, 429)
        raise DeliveryError(f"HTTP {exc.code}: {detail}", permanent=permanent) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}") from exc
    try:
        return json.loads(raw) if raw.strip() else {}
    except ValueError:
        return {}


class JsonWebhookBackend:
    """POSTs ``{"channel", "to", "text", "reference"}`` with a bearer token; any 2xx is accepted. The answer's
    ``id`` or ``message_id``, when present, is kept as the provider's reference."""

    def __init__(self, *, channel: str, url: str, token: str):
        self.channel, self.url, self.token = channel, url, token

    def send(self, message: Outgoing) -> str:
        payload = {"channel": self.channel, "to": message.to, "text": message.text, "reference": message.reference}
        answer = _post_json(self.url, self.token, payload, message.reference)
        return str(answer.get("id") or answer.get("message_id") or "")


class WhatsAppCloudBackend:
    """Speaks the WhatsApp Business Cloud API: ``url`` is the phone number's ``…/{phone-number-id}/messages``
    endpoint, ``token`` its access token. Sends a text message (no link preview: the words carry the link)."""

    def __init__(self, *, channel: str, url: str, token: str):
        self.url, self.token = url, token

    def send(self, message: Outgoing) -> str:
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.to.lstrip("+"),
            "type": "text",
            "text": {"preview_url": False, "body": message.text},
        }
        answer = _post_json(self.url, self.token, payload, message.reference)
        messages = answer.get("messages") or [{}]
        return str(messages[0].get("id", ""))


BACKENDS = {"webhook": JsonWebhookBackend, "whatsapp-cloud": WhatsAppCloudBackend}


def gateway(channel: str):
    """Returns the configured backend of ``channel`` ("whatsapp", "sms"). Raises DeliveryError (permanent)
    when none is configured: the message then waits in the back office for an officer to call instead."""
    config = settings.NOTIFY_GATEWAYS.get(channel) or {}
    if not config.get("url"):
        raise DeliveryError(f"no {channel} gateway is configured (NOTIFY_{channel.upper()}_URL)", permanent=True)
    kind = config.get("backend") or "webhook"
    backend = BACKENDS.get(kind) or import_string(kind)
    return backend(channel=channel, url=config["url"], token=config.get("token", ""))


def send_email(message: Outgoing) -> str:
    """Sends through the configured SMTP server (``EMAIL_URL``), plain text with an HTML alternative."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"X-Jangkau-Reference": message.reference},
        connection=get_connection(timeout=TIMEOUT_SECONDS),
    )
    email.attach_alternative(message.html, "text/html")
    for filename, content, mimetype in message.attachments:
        email.attach(filename, content, mimetype)
    try:
        email.send(fail_silently=False)
    except (OSError, Exception) as exc:  # smtplib's errors, refused connections, timeouts
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    return email.extra_headers.get("Message-ID", "")


def send(channel: str, message: Outgoing) -> str:
    """Sends ``message`` over ``channel`` and returns the provider's reference. Raises DeliveryError."""
    if channel == Channel.EMAIL:
        return send_email(message)
    return gateway(channel).send(message)

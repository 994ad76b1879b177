"""Where the current action comes from, for the audit trail ("who, when, what, from where").

A middleware sets the client's address for the length of a request; services never handle requests, so
``audit_record`` reads it from here. Commands and the worker leave it empty.
"""

from __future__ import annotations

import contextvars
import ipaddress

from django.conf import settings

_source_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_source_ip", default=None)


def current_source_ip() -> str | None:
    return _source_ip.get()


def client_ip(meta: dict) -> str | None:
    """Returns the client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address they
    saw in X-Forwarded-For. Returns None when it is not a valid IP address."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0
    candidate = meta.get("REMOTE_ADDR")
    if proxies:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate)) if candidate else None
    except ValueError:
        return None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _source_ip.set(client_ip(request.META))
        try:
            return self.get_response(request)
        finally:
            _source_ip.reset(token)

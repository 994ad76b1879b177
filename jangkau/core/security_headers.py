"""Content-Security-Policy and Permissions-Policy on every response.

Django 5.2 has no built-in CSP (it arrives in Django 6.0), and the policy is one fixed string, so a few lines
here serve better than a new dependency. Django's own ``SecurityMiddleware`` and ``XFrameOptionsMiddleware``
set the other headers (nosniff, Referrer-Policy, Cross-Origin-Opener-Policy, HSTS, X-Frame-Options) from the
"Security headers" block of ``config/settings.py``.

The policy allows no inline code at all: no inline script, no event-handler attribute, no ``javascript:``
URL, no style element and no style attribute. Pages are server-rendered with one stylesheet and
work without JavaScript; the admin's scripts are files too. ``img-src`` allows ``data:`` for the QR codes
the survey hand-over page embeds inline. ``tests/core/test_security_headers.py`` fails on any template that
brings inline script back, and the browser tests fail on any CSP violation a page reports.

Templates rendered into PDFs by WeasyPrint and HTML e-mails are no web pages: the policy never reaches
them, and they keep their inline styles (mail clients drop linked stylesheets).
"""

from __future__ import annotations

from django.conf import settings

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Every powerful feature off: the pages need no camera, location, payment or sensors. Only features current
# Chromium and Firefox recognise are listed, since an unknown one makes the browser log an error per page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    ]
)


class SecurityHeadersMiddleware:
    """Sets ``Content-Security-Policy`` and ``Permissions-Policy`` unless the view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not (settings.DEBUG and response.status_code in (404, 500)):
            # With DEBUG on, 404 and 500 are Django's technical pages, styled and scripted inline; they never
            # reach the public, so they are left readable rather than blank.
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

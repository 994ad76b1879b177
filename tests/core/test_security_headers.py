"""Security headers and settings: a Content-Security-Policy with no inline code on every kind of response,
the headers Django's own middleware adds, ``check --deploy`` clean in production, and no template that
brings inline script (or, in a page, inline style) back."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 20 + "-production-secret-with-enough-entropy-0123456789abcdef",
    "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "AUDIT_CHAIN_KEY": "audit-chain-key-for-the-test-0123456789abcdef",
    "ALLOWED_HOSTS": "jangkau.example.go.id",
    "EMAIL_URL": "smtp://mailer:secret@smtp.example.go.id:587?tls=1",
    "JANGKAU_PUBLIC_URL": "https://jangkau.example.go.id",
}


def run_production(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    """Runs ``args`` (after the Python interpreter) as a production server would start: from its own
    environment, not the test run's (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy
    rightly warns about; a developer's DEBUG or DATABASE_URL must not leak in either)."""
    dropped = {"SECRET_KEY", "FIELD_ENCRYPTION_KEY", "AUDIT_CHAIN_KEY", "DEBUG", "DATABASE_URL",
               "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"JANGKAU_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings", **PRODUCTION_ENV})
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_in_production(tmp_path):
    result = run_production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in result.stdout, output
    assert "WARNING" not in output
    assert "?: (security." not in output


PRINT_SETTINGS = """
import django, json
django.setup()
from django.conf import settings as s
names = ["SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
         "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE",
         "LANGUAGE_COOKIE_SECURE", "SESSION_EXPIRE_AT_BROWSER_CLOSE", "SESSION_COOKIE_AGE", "X_FRAME_OPTIONS",
         "SECURE_REFERRER_POLICY", "SECURE_CONTENT_TYPE_NOSNIFF", "DEBUG", "MIDDLEWARE"]
print(json.dumps({name: getattr(s, name) for name in names}))
"""


def test_production_settings_secure_transport_and_cookies(tmp_path):
    import json

    result = run_production(["-c", PRINT_SETTINGS], tmp_path)
    assert result.returncode == 0, result.stderr

    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert values["CSRF_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["SESSION_COOKIE_AGE"] <= 8 * 60 * 60
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] in {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert "jangkau.core.security_headers.SecurityHeadersMiddleware" in values["MIDDLEWARE"]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name.lower()] = sources
    return directives


def assert_secure_headers(response) -> None:
    assert "Content-Security-Policy" in response.headers, response.headers
    csp = csp_directives(response.headers["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in permissions


def test_portal_page_sends_the_security_headers(client, world):
    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    assert_secure_headers(response)


def test_back_office_page_sends_the_security_headers(client, world):
    client.force_login(world.ult)

    response = client.get(reverse("backoffice:dashboard"))

    assert response.status_code == 200
    assert_secure_headers(response)


def test_api_endpoint_sends_the_security_headers(client, world):
    response = client.get(f"/api/v1/offices/{world.office.code}/services")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert_secure_headers(response)


def test_admin_and_error_pages_send_the_security_headers(client, world):
    """The admin runs under the same policy (its scripts are files, jangkau/js/admin.js included), and so
    does a 404 rendered by our own template."""
    assert_secure_headers(client.get("/admin/login/"))
    missing = client.get("/tidak-ada-halaman-ini/")
    assert missing.status_code == 404
    assert_secure_headers(missing)


def test_a_view_may_set_its_own_policy(rf):
    from django.http import HttpResponse

    from jangkau.core.security_headers import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/"))

    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "camera=()" in response["Permissions-Policy"]


# --- no inline code in templates ------------------------------------------------------------------------------

TEMPLATES = sorted(
    [*ROOT.glob("templates/**/*.html"), *ROOT.glob("jangkau/*/templates/**/*.html")],
)
PYTHON = sorted(p for p in ROOT.glob("jangkau/**/*.py") if "migrations" not in p.parts)

# Templates never served to a browser: WeasyPrint renders them to PDF (it ignores the CSP, and a PDF carries
# its own styles), or they are the HTML part of an e-mail (mail clients drop linked stylesheets). They may
# hold <style> and style=""; scripts they may not hold either.
NOT_WEB_PAGES = {
    "jangkau/backoffice/templates/backoffice/evaluation/report_pdf.html",
    "jangkau/backoffice/templates/backoffice/privacy/export_pdf.html",
    "jangkau/backoffice/templates/backoffice/recap/recap_pdf.html",
    "jangkau/cases/templates/cases/dossier.html",
    "jangkau/notifications/templates/notifications/email.html",
    "jangkau/portal/templates/portal/intake/receipt.html",
    "jangkau/portal/templates/portal/pos_pdf.html",
    "jangkau/scheduling/templates/scheduling/assignment_letter.html",
    "jangkau/surveys/templates/surveys/paper_form.html",
    "jangkau/surveys/templates/surveys/recap_pdf.html",
}

SCRIPT_ELEMENT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
# A <script> that holds data (json_script), not code, runs nothing and the CSP lets it be.
DATA_BLOCK = re.compile(r"""\btype\s*=\s*["']?application/(ld\+)?json""", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][\w:-]*\b[^>]*?\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""\b(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*javascript:""", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][\w:-]*\b[^>]*?\sstyle\s*=", re.IGNORECASE)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def inline_script_problems(text: str) -> list[tuple[int, str]]:
    """Returns ``(line, what)`` for each inline script, event-handler attribute and ``javascript:`` URL."""
    problems = []
    for match in SCRIPT_ELEMENT.finditer(text):
        if match["body"].strip() and not DATA_BLOCK.search(match["attrs"]):
            problems.append((line_of(text, match.start()), "inline <script> with code"))
    problems += [(line_of(text, m.start()), "event-handler attribute") for m in EVENT_HANDLER.finditer(text)]
    problems += [(line_of(text, m.start()), "javascript: URL") for m in JAVASCRIPT_URL.finditer(text)]
    return problems


def inline_style_problems(text: str) -> list[tuple[int, str]]:
    problems = [(line_of(text, m.start()), "<style> element") for m in STYLE_ELEMENT.finditer(text)]
    problems += [(line_of(text, m.start()), "style attribute") for m in STYLE_ATTRIBUTE.finditer(text)]
    return problems


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="text/javascript">\n  go();\n</script>',
        '<button type="button" onclick="go()">Go</button>',
        "<body\n  onload='go()'>",
        '<a href="javascript:go()">Go</a>',
        "<a href = 'JavaScript:void(0)'>Go</a>",
    ],
)
def test_the_scanner_finds_inline_script(snippet):
    assert inline_script_problems(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'jangkau/js/admin.js' %}\"></script>",
        '<script type="application/json" id="data">{"a": 1}</script>',
        '<input name="online" value="on">',
        '<a href="/javascript/">JavaScript</a>',
        "<p>Pages work without JavaScript: no javascript: links.</p>",
    ],
)
def test_the_scanner_lets_files_and_data_be(snippet):
    assert inline_script_problems(snippet) == []


def test_the_scanner_finds_inline_style():
    assert len(inline_style_problems('<style>p{}</style><p style="color: red">x</p>')) == 2
    assert inline_style_problems('<svg><rect fill="#0b3a75"/></svg><p class="x">{% block extrastyle %}</p>') == []


def test_there_are_templates_to_scan():
    names = {p.relative_to(ROOT).as_posix() for p in TEMPLATES}
    assert "templates/base.html" in names
    assert "templates/admin/base_site.html" in names
    assert names >= NOT_WEB_PAGES, NOT_WEB_PAGES - names


def test_no_template_or_module_has_inline_script():
    """Inline scripts, handlers and javascript: URLs are refused by the CSP: behaviour goes in a static
    file (jangkau/<app>/static/...) loaded with <script src>, wired with addEventListener."""
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in [*TEMPLATES, *PYTHON]
        for line, what in inline_script_problems(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "Inline script the Content-Security-Policy would block:\n" + "\n".join(found)


def test_no_web_page_template_or_module_has_inline_style():
    """Inline styles are refused by the CSP (style-src 'self'): use a class in jangkau/css/jangkau.css, or
    presentation attributes (fill=, stroke=) in SVG. Only PDF and e-mail templates may style inline."""
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in [*TEMPLATES, *PYTHON]
        if path.relative_to(ROOT).as_posix() not in NOT_WEB_PAGES
        for line, what in inline_style_problems(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "Inline style the Content-Security-Policy would block:\n" + "\n".join(found)

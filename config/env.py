"""Reading configuration from the environment, with development fallbacks kept under ``var/``.

Every fallback is a development default; ``DJANGO_ENV=production`` turns each one into a refusal to
start (see ``config.settings``), so a production server can never run on a generated key by accident.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography.fernet import Fernet


class ConfigurationError(RuntimeError):
    """Raised when the environment does not describe a safe configuration."""


def env_bool(name: str, default: bool = False) -> bool:
    """Returns the boolean value of ``name`` ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    """Returns a comma-separated environment variable as a list of non-empty items."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def secret_from_env_or_file(name: str, path: Path, make, *, allow_fallback: bool = True) -> tuple[str, bool]:
    """Returns ``(value, fallback_used)``: the variable ``name`` or, failing that, a value kept in ``path``.

    The file is created with ``make()`` the first time, readable by its owner only, so that a developer's
    sessions and signed cookies survive restarts without anyone having to choose a key. Without
    ``allow_fallback`` (production) nothing is read or written and ``("", True)`` comes back.
    """
    value = os.environ.get(name)
    if value:
        return value, False
    if not allow_fallback:
        return "", True
    if path.exists():
        return path.read_text().strip(), True
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    # Created readable by its owner only from the first byte on.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process (web server, worker) made it a moment ago
        return path.read_text().strip(), True
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value, True


def make_secret_key() -> str:
    return secrets.token_urlsafe(64)


def valid_fernet_key(key: str) -> bool:
    """Returns True when ``key`` is usable as a Fernet key."""
    try:
        Fernet(key.encode())
    except ValueError:
        return False
    return True


def make_fernet_key() -> str:
    return Fernet.generate_key().decode()


def parse_email_url(url: str) -> dict:
    """Returns Django e-mail settings for ``smtp://``, ``smtps://``, ``console://`` or ``locmem://`` URLs.

    ``smtp://user:password@host:587?tls=1&from=ULT%20BPMP%20<ult@example.go.id>``; user and password are
    percent-decoded. Raises ConfigurationError for any other scheme.
    """
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    settings: dict = {}
    if "from" in query:
        settings["DEFAULT_FROM_EMAIL"] = query["from"]
    if parts.scheme == "console":
        settings["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    elif parts.scheme == "locmem":
        settings["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    elif parts.scheme in {"smtp", "smtps"}:
        settings.update(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or (465 if parts.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS=parts.scheme == "smtp" and query.get("tls", "0").lower() in {"1", "true", "yes"},
        )
    else:
        raise ConfigurationError(f"EMAIL_URL: unsupported scheme {parts.scheme!r}")
    return settings

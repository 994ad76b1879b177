"""DJANGO_ENV=production refuses development defaults and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, env_extra: dict, tmp_path) -> subprocess.CompletedProcess:
    # A production server starts from its own environment, not the test run's (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly warns about).
    dropped = {
        "SECRET_KEY",
        "FIELD_ENCRYPTION_KEY",
        "AUDIT_CHAIN_KEY",
        "DEBUG",
        "DATABASE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"JANGKAU_VAR_DIR": str(tmp_path), **env_extra})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 20 + "-production-secret-with-enough-entropy-0123456789abcdef",
    "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "AUDIT_CHAIN_KEY": "audit-chain-key-for-the-test-0123456789abcdef",
    "ALLOWED_HOSTS": "jangkau.example.go.id",
    "EMAIL_URL": "smtp://mailer:secret@smtp.example.go.id:587?tls=1",
    "JANGKAU_PUBLIC_URL": "https://jangkau.example.go.id",
}


def test_production_with_real_secrets_passes_check_deploy(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION, tmp_path=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_on_development_defaults(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k not in {"SECRET_KEY", "FIELD_ENCRYPTION_KEY"}}

    result = manage("check", env_extra=env, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "FIELD_ENCRYPTION_KEY is not set" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no key was generated on the way


def test_production_refuses_links_to_a_local_address(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "JANGKAU_PUBLIC_URL"}

    result = manage("check", env_extra=env, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "JANGKAU_PUBLIC_URL is not an https:// address" in result.stderr


def test_production_refuses_a_malformed_field_key(tmp_path):
    result = manage("check", env_extra={**PRODUCTION, "FIELD_ENCRYPTION_KEY": "too-short"}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY is not 32" in result.stderr

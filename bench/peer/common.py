"""What both sides of the peer share: the names the driver and the in-venv scripts must agree on.

Standard library only: Jangkau's venv imports this through the driver, the peer venv through its scripts.
"""

import json
import os
from urllib.parse import unquote, urlsplit

# The driver passes the database to every peer process through this variable, so settings.py never needs
# to know which benchmark run it belongs to.
DATABASE_URL_ENV = "PEER_DATABASE_URL"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/peer"

STAFF_USERNAME = "bench"
# Known on purpose: a benchmark account on a throw-away database, never a real site.
STAFF_PASSWORD = "bench-peer-password"
QUEUE_SLUG = "bench"


def database_url() -> str:
    return os.environ.get(DATABASE_URL_ENV, DEFAULT_DATABASE_URL)


def parse_database_url(url: str) -> dict:
    """The parts of a postgres:// URL, as Django's DATABASES entry names them."""
    parts = urlsplit(url)
    return {
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or "postgres"),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "127.0.0.1",
        "PORT": str(parts.port or 5432),
    }


def emit(result: dict) -> None:
    """The one JSON line on stdout that the driver parses; everything else an in-venv script says goes to stderr."""
    print(json.dumps(result), flush=True)

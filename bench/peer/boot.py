"""Start Django inside the peer venv, before an in-venv script imports any model."""

import os


def setup() -> None:
    # Forced, not defaulted: a DJANGO_SETTINGS_MODULE inherited from Jangkau's shell would point at Jangkau.
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.peer.settings"
    import django

    django.setup()

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token; Python code sees plaintext, the database never does.

    It cannot be filtered on (each token differs); pair it with a keyed-hash column where search is needed.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull"}:
            raise TypeError(f"encrypted fields support only 'isnull' lookups, not {lookup_name!r}")
        return super().get_lookup(lookup_name)

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from jangkau.core.crypto import search_hash
from jangkau.core.fields import EncryptedTextField


class Command(BaseCommand):
    help = (
        "Re-encrypts every encrypted field under the current FIELD_ENCRYPTION_KEY and recomputes the keyed "
        "search hashes. Run it after moving the previous key to FIELD_ENCRYPTION_OLD_KEYS "
        "(docs/key-rotation.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        for model in apps.get_models():
            fields = [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            # Models declare which hash column follows which encrypted field: {"nik_hash": ("field", "purpose")}.
            hashes = getattr(model, "SEARCH_HASHES", {})
            count = 0
            for pk in model._base_manager.values_list("pk", flat=True).iterator(chunk_size=batch_size):
                with transaction.atomic():
                    obj = model._base_manager.select_for_update().get(pk=pk)
                    for hash_field, (source, purpose) in hashes.items():
                        # An empty hash means the value is not searchable (e.g. a passport number): keep it so.
                        if getattr(obj, hash_field):
                            setattr(obj, hash_field, search_hash(getattr(obj, source), purpose=purpose))
                    # Reading decrypted with whichever key fits; saving encrypts with the current key.
                    obj.save(update_fields=[*fields, *hashes])
                count += 1
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted ({', '.join(fields)})")

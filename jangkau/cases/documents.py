"""Files given with a request: checked by their content (not their name or the browser's word), at most
5 MB, stored encrypted; uploaded as drafts and attached to the case when it is submitted."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import secrets
from datetime import timedelta

from django.utils.translation import gettext as _

from jangkau.core import clock
from jangkau.core.errors import InvalidFields

from .models import CaseDocument

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# What ``secrets.token_urlsafe`` makes: anything else sent as a draft's token names no draft (and text such
# as U+0000, which PostgreSQL refuses in a query, never reaches one).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,100}")
# Drafts of forms never finished are deleted after this long: each new upload purges the expired ones.
DRAFT_LIFETIME = timedelta(days=1)


def sniff_content_type(content: bytes) -> str | None:
    """Returns "application/pdf", "image/jpeg" or "image/png" when ``content`` really is one, else None.

    Images are decoded with Pillow, so a file that only starts with the right bytes is refused too.
    """
    if content.startswith(b"%PDF-"):
        # A PDF ends with an end-of-file marker; a truncated or disguised file usually does not.
        return "application/pdf" if b"%%EOF" in content[-2048:] else None
    kind = None
    if content.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    if kind is None:
        return None
    from PIL import Image  # WeasyPrint's dependency; imported late to keep startup light

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            if Image.MIME.get(image.format) != kind:
                return None
    except Exception:  # noqa: BLE001 -- Pillow raises many kinds for a broken file; all mean "not an image"
        return None
    return kind


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
# A requester sends scans and photos; PPID's results may also be data files (POS step 3: "text, documents,
# data files"), checked by ``sniff_data_type``.


def sniff_data_type(content: bytes) -> str | None:
    """Returns XLSX or CSV when ``content`` really is a workbook or UTF-8 text table, else None."""
    if content.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        return XLSX if {"[Content_Types].xml", "xl/workbook.xml"} <= names else None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    # A table has lines with separators and no control characters besides tab and line ends.
    printable = not any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text)
    return CSV if printable and any(sep in text for sep in ",;\t") else None


def safe_filename(name: str) -> str:
    """Returns a filename safe to show and to send back in a header: no path, no control characters."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"<>:|?*]", "", name).strip(" .")
    return name[-150:] or "dokumen"


def document_check(*, field: str, filename: str, content: bytes, data_files: bool = False) -> str:
    """Returns the content type of an acceptable upload (also XLSX and CSV with ``data_files``). Raises
    InvalidFields naming ``field`` otherwise."""
    if not content:
        raise InvalidFields({field: _("Berkas kosong. Pilih berkas lain.")})
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidFields(
            {field: _("Berkas lebih dari 5 MB. Perkecil atau pindai ulang dengan resolusi lebih rendah.")}
        )
    content_type = sniff_content_type(content)
    if content_type is None and data_files:
        content_type = sniff_data_type(content)
        if content_type is None:
            raise InvalidFields({field: _("Berkas harus PDF, JPG, PNG, XLSX, atau CSV.")})
    if content_type is None:
        raise InvalidFields({field: _("Berkas harus PDF, JPG, atau PNG.")})
    return content_type


def document_store_draft(*, kind: str, field: str, filename: str, content: bytes) -> CaseDocument:
    """Checks and stores an upload not yet attached to a case; returns it with its ``draft_token``.

    Raises InvalidFields (nothing stored) for an empty, oversized or unacceptable file.
    """
    data_files = kind == CaseDocument.Kind.RESULT
    content_type = document_check(field=field, filename=filename, content=content, data_files=data_files)
    documents_purge_drafts()
    return CaseDocument.objects.create(
        draft_token=secrets.token_urlsafe(32),
        kind=kind,
        filename=safe_filename(filename),
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=base64.b64encode(content).decode(),
        uploaded_at=clock.now(),
    )


def read_upload(upload) -> bytes:
    """Returns an uploaded file's bytes, reading at most one byte past the limit: enough to refuse an
    oversized file without ever holding all of it in memory."""
    return upload.read(MAX_UPLOAD_BYTES + 1)


def document_store_upload(*, kind: str, field: str, upload) -> CaseDocument:
    """``document_store_draft`` for a Django ``UploadedFile``. Raises InvalidFields naming ``field``."""
    return document_store_draft(kind=kind, field=field, filename=upload.name, content=read_upload(upload))


def document_discard_drafts(tokens) -> int:
    """Deletes the drafts among ``tokens`` that no case holds (a file replaced or withdrawn before sending);
    returns how many."""
    tokens = _tokens(tokens)
    if not tokens:
        return 0
    count, _ = CaseDocument.objects.filter(draft_token__in=tokens, case__isnull=True).delete()
    return count


def document_bytes(document: CaseDocument) -> bytes:
    return base64.b64decode(document.content)


def drafts(tokens) -> list[CaseDocument]:
    """Returns the unattached, unexpired drafts among ``tokens``."""
    tokens = _tokens(tokens)
    if not tokens:
        return []
    return list(
        CaseDocument.objects.filter(
            draft_token__in=tokens, case__isnull=True, uploaded_at__gte=clock.now() - DRAFT_LIFETIME
        )
    )


def _tokens(tokens) -> list[str]:
    return [token for token in tokens or [] if isinstance(token, str) and _TOKEN.fullmatch(token)]


def documents_purge_drafts() -> int:
    """Deletes drafts older than DRAFT_LIFETIME (forms never finished); returns how many."""
    count, _ = CaseDocument.objects.filter(case__isnull=True, uploaded_at__lt=clock.now() - DRAFT_LIFETIME).delete()
    return count

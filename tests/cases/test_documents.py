"""Uploads are checked by their content, kept encrypted, and attached to the case by the submission."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from PIL import Image

from jangkau.cases import services as svc
from jangkau.cases.documents import (
    MAX_UPLOAD_BYTES,
    document_bytes,
    document_store_draft,
    documents_purge_drafts,
    safe_filename,
    sniff_content_type,
)
from jangkau.cases.models import Case, CaseDocument
from jangkau.core import clock
from jangkau.core.errors import InvalidFields
from tests.builders import intake_data

pytestmark = pytest.mark.django_db

POA = CaseDocument.Kind.POWER_OF_ATTORNEY


def image_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format=kind)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF, "application/pdf"), (image_bytes("PNG"), "image/png"), (image_bytes("JPEG"), "image/jpeg")],
)
def test_pdf_png_and_jpeg_are_recognised_by_content(content, kind):
    assert sniff_content_type(content) == kind


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b"MZ\x90\x00 an executable",
        b"\x89PNG\r\n\x1a\n but not really an image",
        b"\xff\xd8\xff broken jpeg",
        b"%PDF-1.4 truncated without end marker",
        image_bytes("GIF"),
    ],
)
def test_other_content_is_not_recognised_whatever_its_name(content):
    assert sniff_content_type(content) is None


def test_a_renamed_text_file_is_refused_naming_the_field(frozen):
    with pytest.raises(InvalidFields) as refused:
        document_store_draft(kind=POA, field="power_of_attorney", filename="surat.pdf", content=b"just text")

    assert "PDF, JPG, atau PNG" in refused.value.errors["power_of_attorney"]
    assert CaseDocument.objects.count() == 0


def test_more_than_five_megabytes_is_refused(frozen):
    too_big = PDF[:-7] + b"\0" * MAX_UPLOAD_BYTES + b"%%EOF\n"

    with pytest.raises(InvalidFields, match="5 MB"):
        document_store_draft(kind=POA, field="power_of_attorney", filename="besar.pdf", content=too_big)


def test_an_empty_file_is_refused(frozen):
    with pytest.raises(InvalidFields, match="kosong"):
        document_store_draft(kind=POA, field="power_of_attorney", filename="kosong.pdf", content=b"")


def test_the_file_is_encrypted_at_rest_and_reads_back_intact(frozen):
    png = image_bytes("PNG")
    document = document_store_draft(kind=POA, field="f", filename="kuasa.png", content=png)

    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM cases_casedocument WHERE id = %s", [document.pk])
        stored = cursor.fetchone()[0]
    assert b"PNG" not in stored.encode() and "iVBOR" not in stored  # neither raw nor plain base64
    assert document_bytes(CaseDocument.objects.get()) == png
    assert (document.content_type, document.size) == ("image/png", len(png))


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ibu\\kuasa.pdf", "kuasa.pdf"),
        ('a"b<c>.pdf', "abc.pdf"),
        ("", "dokumen"),
    ],
)
def test_filenames_lose_paths_and_unsafe_characters(given, safe):
    assert safe_filename(given) == safe


def test_the_submission_attaches_the_draft_in_the_same_transaction(world, frozen):
    draft = document_store_draft(kind=POA, field="f", filename="kuasa.pdf", content=PDF)

    case = svc.case_submit(office=world.office, data=intake_data(world), document_tokens=[draft.draft_token])

    draft.refresh_from_db()
    assert (draft.case, draft.draft_token) == (case, None)


def test_a_refused_submission_leaves_the_draft_unattached(world, frozen):
    draft = document_store_draft(kind=POA, field="f", filename="kuasa.pdf", content=PDF)

    with pytest.raises(InvalidFields):
        svc.case_submit(
            office=world.office, data=intake_data(world, consent=False), document_tokens=[draft.draft_token]
        )

    draft.refresh_from_db()
    assert draft.case is None and Case.objects.count() == 0


def test_an_expired_or_attached_draft_is_not_attached_again(world, frozen):
    draft = document_store_draft(kind=POA, field="f", filename="kuasa.pdf", content=PDF)
    first = svc.case_submit(office=world.office, data=intake_data(world), document_tokens=[draft.draft_token])
    old = document_store_draft(kind=POA, field="f", filename="lama.pdf", content=PDF)

    with clock.frozen_at(clock.now() + timedelta(days=2)):
        second = svc.case_submit(
            office=world.office, data=intake_data(world), document_tokens=[draft.draft_token, old.draft_token]
        )

    assert list(first.documents.all()) == [draft]
    assert second.documents.count() == 0


def test_drafts_of_abandoned_forms_are_purged_by_the_next_upload(world, frozen):
    document_store_draft(kind=POA, field="f", filename="lama.pdf", content=PDF)
    kept = svc.case_submit(
        office=world.office,
        data=intake_data(world),
        document_tokens=[document_store_draft(kind=POA, field="f", filename="k.pdf", content=PDF).draft_token],
    )

    with clock.frozen_at(clock.now() + timedelta(days=2)):
        fresh = document_store_draft(kind=POA, field="f", filename="baru.pdf", content=PDF)
        assert documents_purge_drafts() == 0

    assert set(CaseDocument.objects.all()) == {fresh, *kept.documents.all()}

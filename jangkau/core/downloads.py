"""File downloads from the interfaces (back office and API) answered the same way."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def attachment_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """Returns ``content`` as a download that no browser or proxy keeps: exports hold personal data."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response

"""The printable receipt of a request: a PDF made by WeasyPrint from an HTML template.

It names the case, the tracking code and what was asked for, and nothing that would hurt the requester if
the paper were lost: no NIK, no address, no contact details.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone

from jangkau.cases.selectors import grouped_code
from jangkau.cases.vocabulary import Accommodation, DeliveryMode
from jangkau.core.pdf import html_to_pdf


def case_facts(case) -> dict:
    """Returns what the confirmation page and the receipt show of ``case``, with labels for codes."""
    modes = dict(DeliveryMode.choices)
    accommodations = dict(Accommodation.choices)
    step2 = next((step for step in case.steps.all() if step.step_no == 2), None)
    return {
        "case": case,
        "office": case.office,
        "office_tz": case.office.time_zone,
        "tracking_code": grouped_code(case.tracking_code),
        "service": case.service_type.display_name if case.service_type_id else "",
        "delivery_mode": str(modes.get(case.delivery_mode, case.delivery_mode)) if case.delivery_mode else "",
        "accommodations": [str(accommodations.get(code, code)) for code in case.accommodations or []],
        "record_due": step2.due_at if step2 and step2.due_at else None,
        "submitted_local": timezone.localtime(case.submitted_at, ZoneInfo(case.office.time_zone)),
    }


def receipt_html(request, case, tracking_url: str) -> str:
    return render_to_string(
        "portal/intake/receipt.html", {**case_facts(case), "tracking_url": tracking_url}, request=request
    )


def receipt_pdf(request, case, tracking_url: str) -> bytes:
    return html_to_pdf(receipt_html(request, case, tracking_url))

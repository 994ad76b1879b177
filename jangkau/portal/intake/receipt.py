"""The printable receipt of a request: a PDF made by WeasyPrint from an HTML template.

It names the case, the tracking code and what was asked for, and nothing that would hurt the requester if
the paper were lost: no NIK, no address, no contact details.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from jangkau.cases.selectors import grouped_code
from jangkau.cases.vocabulary import MESSAGE_LANGUAGES, Accommodation, DeliveryMode, NotifyChannel
from jangkau.core.masking import mask_email, mask_phone
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


def news_channel(case) -> str:
    """Returns the sentence telling by which channel, to which (masked) address and in which language news of
    ``case`` comes; empty when the requester chose no messages. For the confirmation page only: the paper
    receipt carries no contact details."""
    if case.notify_channel == NotifyChannel.WHATSAPP:
        sentence = _("Kami mengabari perkembangan permohonan ini lewat WhatsApp ke nomor %(address)s.")
        address = mask_phone(case.phone)
    elif case.notify_channel == NotifyChannel.SMS:
        sentence = _("Kami mengabari perkembangan permohonan ini lewat SMS ke nomor %(address)s.")
        address = mask_phone(case.phone)
    elif case.notify_channel == NotifyChannel.EMAIL:
        sentence = _("Kami mengabari perkembangan permohonan ini lewat surel ke %(address)s.")
        address = mask_email(case.email)
    else:
        return ""
    language = dict(MESSAGE_LANGUAGES).get(case.language, case.language)
    return " ".join((sentence % {"address": address}, _("Bahasa pesan: %(language)s.") % {"language": language}))


def receipt_html(request, case, tracking_url: str) -> str:
    return render_to_string(
        "portal/intake/receipt.html", {**case_facts(case), "tracking_url": tracking_url}, request=request
    )


def receipt_pdf(request, case, tracking_url: str) -> bytes:
    return html_to_pdf(receipt_html(request, case, tracking_url))

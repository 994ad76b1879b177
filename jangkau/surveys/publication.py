"""Publishing a period's IKM (POS step 7): the head of the office publishes the result of a period that has
ended; the public IKM page lists it. The published figures are the ``ikm_report`` of that moment, kept as
they were: a paper form typed in afterwards does not change what the public has read. A publication is never
edited; the head withdraws it with a reason (it leaves the public pages) and may publish the period again."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from jangkau.accounts.models import Role, User
from jangkau.audit.services import audit_record
from jangkau.cases.services import office_today
from jangkau.core import clock
from jangkau.core.errors import Conflict, InvalidFields, PermissionDenied
from jangkau.offices.models import Office, ServiceType

from .models import IkmPublication, Instrument
from .reports import ikm_report

REASON_MAX = 1000


def _require_head(actor, office_id: int, message: str) -> None:
    if not isinstance(actor, User) or not actor.is_active or actor.role != Role.HEAD or actor.office_id != office_id:
        raise PermissionDenied(message)


def _live(office: Office, start: date, end: date, service_type: ServiceType | None):
    return IkmPublication.objects.filter(
        office=office, period_start=start, period_end=end, service_type=service_type, withdrawn_at__isnull=True
    )


def ikm_publication_check(*, office: Office, start: date, end: date, service_type: ServiceType | None, actor) -> dict:
    """Returns the ``ikm_report`` that publishing this period would freeze, without writing anything.

    Raises PermissionDenied (only the office's head publishes), InvalidFields ("period_start", "period_end",
    "service_type": a period that has not ended, an end before the start, another office's service), and
    Conflict ("ikm_already_published": a live publication of the same period and service;
    "ikm_incomplete": an element without answers, so there is no IKM to publish).
    """
    _require_head(actor, office.pk, _("Hanya kepala kantor ini yang dapat memublikasikan IKM."))
    errors = {}
    if service_type is not None and service_type.office_id != office.pk:
        errors["service_type"] = _("Pilih jenis layanan kantor ini.")
    if end < start:
        errors["period_end"] = _("Tanggal akhir harus sama dengan atau sesudah tanggal awal.")
    elif end >= office_today(office):
        errors["period_end"] = _(
            "Periode harus sudah berakhir: tanggal akhir paling lambat kemarin. Jawaban survei masih dapat "
            "masuk selama periode berjalan."
        )
    if errors:
        raise InvalidFields(errors)
    if _live(office, start, end, service_type).exists():
        raise Conflict(
            _(
                "IKM periode ini sudah dipublikasikan. Tarik publikasi itu lebih dulu jika hasilnya perlu "
                "dipublikasikan ulang."
            ),
            code="ikm_already_published",
        )
    report = ikm_report(office, start, end, service_type)
    if report["ikm"] is None:
        missing = [element["code"] for element in report["unsur"] if element["nrr"] is None]
        raise Conflict(
            _(
                "IKM periode ini belum dapat dipublikasikan: unsur %(codes)s belum punya jawaban survei "
                "(%(respondents)s responden). IKM dihitung dari kesembilan unsur."
            )
            % {"codes": ", ".join(missing), "respondents": report["respondents"]},
            code="ikm_incomplete",
        )
    return report


def ikm_publish(*, office: Office, start: date, end: date, service_type: ServiceType | None, actor) -> IkmPublication:
    """Publishes the period's IKM as it stands now; one transaction, one ``ikm.published`` event.

    Raises what ``ikm_publication_check`` raises; nothing is written then.
    """
    with clock.frozen_at(clock.now()):
        try:
            with transaction.atomic():
                # The office row serialises publications of the office: two heads pressing at once make one.
                Office.objects.select_for_update(no_key=True).get(pk=office.pk)
                report = ikm_publication_check(
                    office=office, start=start, end=end, service_type=service_type, actor=actor
                )
                publication = IkmPublication.objects.create(
                    office=office,
                    period_start=start,
                    period_end=end,
                    service_type=service_type,
                    report=report,
                    published_by=actor,
                    published_at=clock.now(),
                )
                audit_record(
                    action="ikm.published",
                    actor=actor,
                    office=office,
                    changes={
                        "publication": publication.pk,
                        "from": start.isoformat(),
                        "to": end.isoformat(),
                        "service": service_type.code if service_type else None,
                        "respondents": report["respondents"],
                        "ikm_converted": str(report["ikm_converted"]),
                        "grade": report["grade"],
                    },
                )
        except IntegrityError as exc:
            # The database's own guard against a second live publication of the period.
            raise Conflict(_("IKM periode ini sudah dipublikasikan."), code="ikm_already_published") from exc
    return publication


def ikm_withdraw(*, publication: IkmPublication, actor, reason: str) -> IkmPublication:
    """Withdraws a live publication from the public pages, with the head's reason; it stays on record.
    One transaction, one ``ikm.withdrawn`` event.

    Raises PermissionDenied (only the office's head), InvalidFields ("reason": missing or too long) and
    Conflict ("ikm_already_withdrawn").
    """
    _require_head(actor, publication.office_id, _("Hanya kepala kantor ini yang dapat menarik publikasi IKM."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidFields({"reason": _("Tuliskan alasan penarikan.")})
    if len(reason) > REASON_MAX:
        raise InvalidFields(
            {"reason": _("Alasan paling panjang %(max)s karakter.") % {"max": REASON_MAX}},
        )
    with clock.frozen_at(clock.now()), transaction.atomic():
        publication = IkmPublication.objects.select_for_update().get(pk=publication.pk)
        if publication.withdrawn_at is not None:
            raise Conflict(_("Publikasi ini sudah ditarik."), code="ikm_already_withdrawn")
        publication.withdrawn_at = clock.now()
        publication.withdrawn_by = actor
        publication.withdraw_reason = reason
        publication.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        audit_record(
            action="ikm.withdrawn",
            actor=actor,
            office=publication.office,
            changes={
                "publication": publication.pk,
                "from": publication.period_start.isoformat(),
                "to": publication.period_end.isoformat(),
                "reason": reason,
            },
        )
    return publication


# --- showing a frozen report ---------------------------------------------------------------------------------

# The performance label of each grade (ikm.GRADES), translatable for the English pages.
PERFORMANCE = {
    "A": gettext_lazy("Sangat Baik"),
    "B": gettext_lazy("Baik"),
    "C": gettext_lazy("Kurang Baik"),
    "D": gettext_lazy("Tidak Baik"),
}


def performance_label(grade: str | None, fallback: str | None = None) -> str:
    return str(PERFORMANCE[grade]) if grade in PERFORMANCE else (fallback or "")


def report_figures(report: dict, office: Office) -> dict:
    """Returns the figures of an ``ikm_report`` dict ready to show, in the active language: the element names
    are the published ones, or the English names of the office's active instrument when English is chosen."""
    names = {}
    if (get_language() or "").startswith("en"):
        # Read, never installed: a public page writes nothing.
        instrument = Instrument.objects.filter(office=office, is_active=True).first()
        if instrument is not None:
            names = {element.code: element.display_name for element in instrument.elements.all()}
    return {
        "respondents": report["respondents"],
        "ikm": report["ikm"],
        "ikm_converted": report["ikm_converted"],
        "grade": report["grade"],
        "performance": performance_label(report["grade"], report.get("performance")),
        "population_served": report["population_served"],
        "sample_required": report["sample_required"],
        "sample_sufficient": report["sample_sufficient"],
        "elements": [
            {
                "code": element["code"],
                "name": names.get(element["code"]) or element["name"],
                "nrr": element["nrr"],
                "nrr_weighted": element["nrr_weighted"],
            }
            for element in report["unsur"]
        ],
    }

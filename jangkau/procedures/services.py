"""Installing versions of an office's POS.

A version, once created, is never edited by these services: cases pin the version they started under, so a
correction is always a new version, and only the old one's status changes (to retired).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max

from jangkau.audit.services import audit_record
from jangkau.core import clock
from jangkau.offices.models import Office

from .loader import DEFAULT_POS_FILE, LIST_KEYS, load_procedure_file, parse_procedure
from .models import ProcedureStep, ProcedureVersion
from .selectors import STEP_FIELDS, procedure_as_dict

SOURCE_MAX_LENGTH = ProcedureVersion._meta.get_field("source").max_length


def procedure_install(*, office, data: dict, actor=None, activate: bool = True, source: str = "") -> ProcedureVersion:
    """Creates the office's next POS version (highest version + 1) with its steps and returns it.

    With ``activate`` the office's active version is retired and the new one becomes active; without it
    the new version stays a draft. Writes one ``procedure.installed`` audit event.
    Raises InvalidInput (nothing created) when ``data`` is not a valid POS.
    """
    data = parse_procedure(data)
    # Keep the tail of a long path: the file name is the telling part.
    source = source[-SOURCE_MAX_LENGTH:]
    with transaction.atomic():
        # Locking the office serialises concurrent installs, so two cannot pick the same version number.
        Office.objects.select_for_update(no_key=True).get(pk=office.pk)
        latest = ProcedureVersion.objects.filter(office=office).aggregate(latest=Max("version"))["latest"]
        number = (latest or 0) + 1
        if activate:
            # Retire first: the database allows one active version per office at any moment.
            ProcedureVersion.objects.filter(office=office, status=ProcedureVersion.Status.ACTIVE).update(
                status=ProcedureVersion.Status.RETIRED
            )
        approver = data["approver"]
        version = ProcedureVersion.objects.create(
            office=office,
            version=number,
            status=ProcedureVersion.Status.ACTIVE if activate else ProcedureVersion.Status.DRAFT,
            number=data["number"],
            title=data["title"],
            made_on=data["made_on"],
            revised_on=data["revised_on"],
            effective_date=data["effective_date"],
            approver_position=approver["position"],
            approver_name=approver["name"],
            approver_nip=approver["nip"],
            source=source,
            activated_at=clock.now() if activate else None,
            **{key: data[key] for key in LIST_KEYS},
        )
        ProcedureStep.objects.bulk_create(
            ProcedureStep(procedure=version, **{field: step[field] for field in STEP_FIELDS}) for step in data["steps"]
        )
        audit_record(
            action="procedure.installed",
            actor=actor,
            actor_label=None if actor else "system",
            office=office,
            changes={"version": number, "number": data["number"], "steps": len(data["steps"]), "source": source},
        )
    return version


def procedure_ensure_default(*, office, actor=None) -> ProcedureVersion:
    """Returns the office's active version when it already matches the default POS file (same number,
    effective date and steps); otherwise installs and activates the file and returns the new version.

    Running it again creates nothing. Raises InvalidInput when the default file is broken.
    """
    data = load_procedure_file(DEFAULT_POS_FILE)
    with transaction.atomic():
        # Locked before the comparison so two concurrent runs cannot both decide to install.
        Office.objects.select_for_update(no_key=True).get(pk=office.pk)
        active = (
            ProcedureVersion.objects.filter(office=office, status=ProcedureVersion.Status.ACTIVE)
            .prefetch_related("steps")
            .first()
        )
        if active is not None and _signature(procedure_as_dict(active)) == _signature(data):
            return active
        return procedure_install(
            office=office,
            data=data,
            actor=actor,
            activate=True,
            source=f"jangkau/procedures/data/{DEFAULT_POS_FILE.name}",
        )


def _signature(data: dict) -> tuple:
    """What makes two POS the same for ``procedure_ensure_default``: identity number, effective date and the
    content of every step."""
    effective = data["effective_date"]
    if isinstance(effective, date):
        effective = effective.isoformat()
    steps = tuple(tuple((field, _frozen(step[field])) for field in STEP_FIELDS) for step in data["steps"])
    return data["number"], effective, steps


def _frozen(value):
    return tuple(value) if isinstance(value, list) else value

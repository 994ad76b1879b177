"""Reading an office's POS."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jangkau.core.errors import DomainError

from .loader import LIST_KEYS
from .models import ProcedureVersion

STEP_FIELDS = (
    "no",
    "activity",
    "actors",
    "requirements",
    "standard_minutes",
    "standard_days_min",
    "standard_days_max",
    "standard_label",
    "output",
    "remarks",
    "follows_service_standard",
    "no_branch_to",
)


def active_procedure(office) -> ProcedureVersion:
    """Returns the office's active POS version with its steps prefetched.

    Raises DomainError (code ``no_active_procedure``) when the office has none.
    """
    version = (
        ProcedureVersion.objects.filter(office=office, status=ProcedureVersion.Status.ACTIVE)
        .prefetch_related("steps")
        .first()
    )
    if version is None:
        raise DomainError(
            _("Kantor %(office)s belum memiliki POS yang berlaku.") % {"office": office.code},
            code="no_active_procedure",
        )
    return version


def procedure_as_dict(version: ProcedureVersion) -> dict:
    """Returns the version as plain JSON-ready data: dates as ISO strings, steps in order."""

    def iso(value):
        return value.isoformat() if value is not None else None

    data = {
        "number": version.number,
        "title": version.title,
        "made_on": iso(version.made_on),
        "revised_on": iso(version.revised_on),
        "effective_date": iso(version.effective_date),
        "version": version.version,
        "status": version.status,
        "approver": {
            "position": version.approver_position,
            "name": version.approver_name,
            "nip": version.approver_nip,
        },
    }
    for key in LIST_KEYS:
        data[key] = list(getattr(version, key))
    # Sorted in Python so a prefetched queryset is reused instead of queried again.
    steps = sorted(version.steps.all(), key=lambda step: step.no)
    data["steps"] = [{field: _copy(getattr(step, field)) for field in STEP_FIELDS} for step in steps]
    return data


def _copy(value):
    # The caller may edit the result; the version's own lists must stay as loaded.
    return list(value) if isinstance(value, list) else value

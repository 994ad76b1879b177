"""Reading offices."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Office


def default_office() -> Office | None:
    """Returns the installation's default office: ``JANGKAU_DEFAULT_OFFICE`` when set, else the first
    active office created. None when there is no active office."""
    offices = Office.objects.filter(is_active=True)
    if settings.JANGKAU_DEFAULT_OFFICE:
        return offices.filter(code__iexact=settings.JANGKAU_DEFAULT_OFFICE).first()
    return offices.order_by("pk").first()


def active_office_or_404(code: str | None) -> Office:
    """Returns the active office with ``code`` (the default office for None). Raises Http404 otherwise."""
    if code is None:
        office = default_office()
    else:
        office = Office.objects.filter(code__iexact=code.strip(), is_active=True).first()
    if office is None:
        raise Http404(_("Kantor tidak ditemukan."))
    return office

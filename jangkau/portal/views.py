from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from jangkau.core.errors import DomainError
from jangkau.offices.models import Office, ServiceCharter, ServiceStandard
from jangkau.offices.selectors import default_office
from jangkau.procedures.models import Actor, ProcedureVersion
from jangkau.procedures.selectors import active_procedure
from jangkau.surveys.models import IkmPublication


def home(request):
    """The citizen start page: what the outreach service is, who it is for and how it works."""
    office = (
        Office.objects.filter(is_active=True, procedure_versions__status=ProcedureVersion.Status.ACTIVE)
        .order_by("name", "pk")
        .first()
    )
    pos_url = reverse("portal:pos", kwargs={"office_code": office.code}) if office else None
    # The transparency pages of the first active office (by name) that has any.
    standards_office = (
        Office.objects.filter(is_active=True, service_types__is_active=True).order_by("name", "pk").first()
    )
    charter_office = Office.objects.filter(is_active=True, charter__isnull=False).order_by("name", "pk").first()
    ikm_office = (
        Office.objects.filter(
            is_active=True, pk__in=IkmPublication.objects.filter(withdrawn_at__isnull=True).values("office")
        )
        .order_by("name", "pk")
        .first()
    )
    return render(
        request,
        "portal/home.html",
        {
            "intake_url": reverse("portal:intake") if default_office() else None,
            "pos_url": pos_url,
            "standards_url": (
                reverse("portal:service_standards", kwargs={"office_code": standards_office.code})
                if standards_office
                else None
            ),
            "charter_url": (
                reverse("portal:charter", kwargs={"office_code": charter_office.code}) if charter_office else None
            ),
            "ikm_url": reverse("portal:ikm_list", kwargs={"office_code": ikm_office.code}) if ikm_office else None,
        },
    )


def pos(request, office_code):
    """The office's active POS in its official form: the identity section, then the step table."""
    office = get_object_or_404(Office, code=office_code, is_active=True)
    try:
        version = active_procedure(office)
    except DomainError as exc:
        raise Http404(exc.message) from exc

    actors = list(Actor)
    steps = sorted(version.steps.all(), key=lambda step: step.no)
    rows = [{"step": step, "actor_cells": [actor.value in step.actors for actor in actors]} for step in steps]
    return render(
        request,
        "portal/pos.html",
        {"office": office, "version": version, "actors": actors, "rows": rows},
    )


def service_standards(request, office_code):
    """The six public components of the Standar Pelayanan of every active service of the office."""
    office = get_object_or_404(Office, code=office_code, is_active=True)
    services = []
    for service in office.service_types.filter(is_active=True).order_by("name", "pk"):
        try:
            standard = service.standard
        except ServiceStandard.DoesNotExist:
            standard = None
        services.append({"service": service, "name": service.display_name, "standard": standard})
    return render(request, "portal/service_standards.html", {"office": office, "services": services})


def charter(request, office_code):
    """The office's Maklumat Pelayanan; 404 when the office has not published one."""
    office = get_object_or_404(Office, code=office_code, is_active=True)
    charter = get_object_or_404(ServiceCharter, office=office)
    return render(request, "portal/charter.html", {"office": office, "charter": charter})


def privacy(request):
    """The privacy notice (UU 27/2022): who processes which data, why, who sees it, for how long, your rights."""
    offices = Office.objects.filter(is_active=True).order_by("name", "pk")
    return render(request, "portal/privacy.html", {"offices": offices})

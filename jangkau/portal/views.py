from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse

from jangkau.core.downloads import attachment_response
from jangkau.core.errors import DomainError
from jangkau.core.pdf import html_to_pdf
from jangkau.offices.models import Office, ServiceCharter, ServiceStandard
from jangkau.offices.selectors import default_office
from jangkau.procedures.flowchart import flowchart
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


# The PDF's step table starts a new page every this many steps (see jangkau.procedures.flowchart): four of the
# seed's longest rows fit on a landscape A4 page with the table's header.
POS_PDF_STEPS_PER_PAGE = 4


def _active_pos(office_code):
    """The active office of ``office_code`` and its active POS version; 404 when either is missing."""
    office = get_object_or_404(Office, code=office_code, is_active=True)
    try:
        version = active_procedure(office)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    return office, version


def _pos_pages(version, *, steps_per_page=None):
    # Sorted in Python so the prefetched steps are reused.
    steps = sorted(version.steps.all(), key=lambda step: step.no)
    return flowchart(steps, Actor.values, steps_per_page=steps_per_page)


def pos(request, office_code):
    """The office's active POS in its official form: the identity section, then the step table with its
    flowchart in the actor columns."""
    office, version = _active_pos(office_code)
    pages = _pos_pages(version)
    return render(
        request,
        "portal/pos.html",
        {"office": office, "version": version, "actors": list(Actor), "rows": pages[0].rows if pages else []},
    )


def pos_pdf(request, office_code):
    """The office's active POS as a PDF in the official two-part form (landscape A4): the identity section,
    then the step table with its flowchart, a new page every few steps joined by page connectors."""
    office, version = _active_pos(office_code)
    html = render_to_string(
        "portal/pos_pdf.html",
        {
            "office": office,
            "version": version,
            "actors": list(Actor),
            "pages": _pos_pages(version, steps_per_page=POS_PDF_STEPS_PER_PAGE),
        },
        request=request,
    )
    response = attachment_response(html_to_pdf(html), "application/pdf", f"POS-{office.code}-v{version.version}.pdf")
    # A public document without personal data that changes only with a new POS version: caches may keep it
    # for an hour (attachment_response forbids any caching, for the exports that hold personal data).
    response["Cache-Control"] = "public, max-age=3600"
    return response


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

"""The office's published IKM results (SPEC "Public pages"): the list of published periods and each result.
Only live publications are shown; a withdrawn one is gone from these pages. The figures are the ones frozen
at publication."""

from django.shortcuts import get_object_or_404, render

from jangkau.offices.models import Office
from jangkau.surveys.models import IkmPublication
from jangkau.surveys.publication import performance_label, report_figures


def _live(office):
    return IkmPublication.objects.filter(office=office, withdrawn_at__isnull=True).select_related("service_type")


def ikm_list(request, office_code):
    """The published periods of the office, newest period first."""
    office = get_object_or_404(Office, code=office_code, is_active=True)
    publications = _live(office).order_by("-period_end", "-period_start", "-published_at", "-pk")
    rows = [
        {
            "publication": publication,
            "service": publication.service_type.display_name if publication.service_type else None,
            "respondents": publication.report["respondents"],
            "ikm_converted": publication.report["ikm_converted"],
            "grade": publication.report["grade"],
            "performance": performance_label(publication.report["grade"], publication.report.get("performance")),
        }
        for publication in publications
    ]
    return render(request, "portal/ikm_list.html", {"office": office, "rows": rows})


def ikm_detail(request, office_code, publication_id):
    """One published result: the nine elements, the IKM on both scales, the grade and the sample."""
    office = get_object_or_404(Office, code=office_code, is_active=True)
    publication = get_object_or_404(_live(office), pk=publication_id)
    return render(
        request,
        "portal/ikm_detail.html",
        {
            "office": office,
            "publication": publication,
            "service": publication.service_type.display_name if publication.service_type else None,
            "figures": report_figures(publication.report, office),
        },
    )

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from jangkau.core.errors import DomainError
from jangkau.offices.models import Office
from jangkau.procedures.models import Actor, ProcedureVersion
from jangkau.procedures.selectors import active_procedure


def home(request):
    """The citizen start page: what the outreach service is, who it is for and how it works."""
    office = (
        Office.objects.filter(is_active=True, procedure_versions__status=ProcedureVersion.Status.ACTIVE)
        .order_by("name", "pk")
        .first()
    )
    pos_url = reverse("portal:pos", kwargs={"office_code": office.code}) if office else None
    return render(request, "portal/home.html", {"pos_url": pos_url})


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

"""Publishing the IKM (POS step 7) in the back office.

Every staff member of the office sees the office's publications, live and withdrawn. The head publishes a
period in two steps without JavaScript: the form shows the figures that would be published (a preview),
and a second button publishes them. The head also withdraws a publication, with a reason. The rules are
``jangkau.surveys.publication``'s; these views only ask and show.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from jangkau.accounts.models import Role
from jangkau.core.errors import DomainError, InvalidFields
from jangkau.offices.models import ServiceType
from jangkau.surveys.models import IkmPublication
from jangkau.surveys.publication import (
    REASON_MAX,
    ikm_publication_check,
    ikm_publish,
    ikm_withdraw,
    performance_label,
    report_figures,
)

from .recap_forms import EARLIEST, LATEST
from .scope import user_office

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def _date(label, missing):
    return forms.DateField(
        label=label,
        help_text=gettext_lazy("Tulis tanggal/bulan/tahun, contoh: 31/03/2025."),
        input_formats=DATE_FORMATS,
        error_messages={"required": missing, "invalid": gettext_lazy("Tuliskan tanggal seperti 31/03/2025")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "input--date"}),
    )


class ServiceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PublishForm(forms.Form):
    """The period to publish: two dates and, optionally, one service of the office."""

    period_start = _date(gettext_lazy("Periode dari tanggal berapa?"), gettext_lazy("Tuliskan tanggal awal periode"))
    period_end = _date(gettext_lazy("Sampai tanggal berapa?"), gettext_lazy("Tuliskan tanggal akhir periode"))
    service_type = ServiceChoice(
        label=gettext_lazy("Untuk layanan apa?"),
        help_text=gettext_lazy(
            "Kosongkan untuk semua layanan. Survei kertas yang diimpor tanpa nomor registrasi hanya ikut dihitung "
            "untuk semua layanan."
        ),
        queryset=ServiceType.objects.none(),
        required=False,
        empty_label=gettext_lazy("Semua layanan"),
        error_messages={"invalid_choice": gettext_lazy("Pilih jenis layanan dari daftar")},
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = ServiceType.objects.filter(office=office).order_by("name", "pk")

    def clean(self):
        cleaned = super().clean()
        for name in ("period_start", "period_end"):
            # A year outside these is a typing mistake, and would not fit a time-zone conversion either.
            if cleaned.get(name) and not EARLIEST <= cleaned[name] <= LATEST:
                self.add_error(
                    name,
                    _("Tanggal harus antara tahun %(first)s dan %(last)s.")
                    % {"first": EARLIEST.year, "last": LATEST.year},
                )
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start and not self.errors:
            self.add_error("period_end", _("Tanggal akhir harus sama dengan atau sesudah tanggal awal."))
        return cleaned

    def period(self) -> dict:
        data = self.cleaned_data
        return {"start": data["period_start"], "end": data["period_end"], "service_type": data["service_type"]}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Mengapa publikasi ini ditarik?"),
        help_text=gettext_lazy("Dicatat bersama publikasi ini. Contoh: salah memilih periode."),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Tuliskan alasan penarikan")},
    )


def _is_head(user) -> bool:
    return user.office_id is not None and user.role == Role.HEAD


def _rows(office):
    publications = (
        IkmPublication.objects.filter(office=office)
        .select_related("service_type", "published_by", "withdrawn_by")
        .order_by("-period_end", "-period_start", "-published_at", "-pk")
    )
    return [
        {
            "publication": publication,
            "service": publication.service_type.display_name if publication.service_type else None,
            "performance": performance_label(publication.report["grade"], publication.report.get("performance")),
        }
        for publication in publications
    ]


def _list_page(request, form, *, status=200):
    office = request.user.office
    return render(
        request,
        "backoffice/survey/publication.html",
        {"office": office, "rows": _rows(office), "form": form, "is_head": _is_head(request.user)},
        status=status,
    )


def _add_errors(form, exc: DomainError) -> None:
    if isinstance(exc, InvalidFields):
        for name, message in exc.errors.items():
            form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, exc.message)


@never_cache
@login_required
def ikm_publications(request):
    """The office's IKM publications; for the head, the form to publish a period (preview, then publish)."""
    office = user_office(request)
    if request.method != "POST":
        return _list_page(request, PublishForm(office=office) if _is_head(request.user) else None)
    if not _is_head(request.user):
        raise Forbidden
    form = PublishForm(request.POST, office=office)
    action = request.POST.get("action")
    if action == "edit" or not form.is_valid():
        # "Ubah periode" on the preview brings the filled form back; a wrong form shows its errors.
        return _list_page(request, form, status=200 if action == "edit" else 400)
    try:
        if action == "publish":
            publication = ikm_publish(office=office, actor=request.user, **form.period())
        else:
            report = ikm_publication_check(office=office, actor=request.user, **form.period())
    except DomainError as exc:
        _add_errors(form, exc)
        return _list_page(request, form, status=400)
    if action == "publish":
        messages.success(
            request,
            _("IKM periode %(start)s sampai %(end)s dipublikasikan.")
            % {
                "start": date_format(publication.period_start, "j F Y"),
                "end": date_format(publication.period_end, "j F Y"),
            },
        )
        return redirect("backoffice:ikm_publications")
    data = form.cleaned_data
    return render(
        request,
        "backoffice/survey/publication_preview.html",
        {
            "office": office,
            "form": form,
            "start": data["period_start"],
            "end": data["period_end"],
            "service": data["service_type"].display_name if data["service_type"] else None,
            "service_pk": data["service_type"].pk if data["service_type"] else "",
            "figures": report_figures(report, office),
        },
    )


@never_cache
@login_required
def ikm_publication_withdraw(request, pk: int):
    """The head withdraws a live publication from the public pages, with a reason."""
    office = user_office(request)
    if not _is_head(request.user):
        raise Forbidden
    publication = get_object_or_404(IkmPublication.objects.select_related("service_type"), pk=pk, office=office)
    list_url = reverse("backoffice:ikm_publications")
    if publication.withdrawn_at is not None:
        messages.info(request, _("Publikasi ini sudah ditarik."))
        return redirect(list_url)
    form = WithdrawForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                ikm_withdraw(publication=publication, actor=request.user, reason=form.cleaned_data["reason"])
            except DomainError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Publikasi IKM ditarik dari halaman publik."))
                return redirect(list_url)
        status = 400
    return render(
        request,
        "backoffice/survey/publication_withdraw.html",
        {
            "publication": publication,
            "service": publication.service_type.display_name if publication.service_type else None,
            "performance": performance_label(publication.report["grade"], publication.report.get("performance")),
            "form": form,
        },
        status=status,
    )

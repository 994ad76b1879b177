"""The web intake's pages. Each page checks its answers with the shared intake rules and keeps them in the
session; only the check page's "Kirim permohonan" creates a case, through ``case_submit_once``."""

from __future__ import annotations

from django.conf import settings
from django.forms import CheckboxSelectMultiple, RadioSelect
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jangkau.audit.context import client_ip
from jangkau.cases import services, workflow
from jangkau.cases.documents import document_discard_drafts, document_store_upload
from jangkau.cases.models import Case, CaseDocument, Channel
from jangkau.core.errors import DomainError, InvalidFields
from jangkau.core.ratelimit import rate_limit_exceeded
from jangkau.offices.selectors import active_office_or_404, default_office
from jangkau.portal import access
from jangkau.portal.links import tracking_url

from . import draft as drafts
from .forms import YES, CompanionForm
from .pages import PAGE_OF_FIELD, PAGES, PAGES_BY_SLUG, first_unanswered, next_page, previous_page, summary_rows
from .receipt import case_facts, news_channel, receipt_pdf

BACK_TO_CHECK = "periksa"


def page_url(office, page, *, back_to_check: bool = False) -> str:
    url = reverse("portal:intake_page", kwargs={"office_code": office.code, "page_slug": page.slug})
    return f"{url}?kembali={BACK_TO_CHECK}" if back_to_check else url


def start_url(office) -> str:
    return reverse("portal:intake_start", kwargs={"office_code": office.code})


def check_url(office) -> str:
    return reverse("portal:intake_check", kwargs={"office_code": office.code})


def done_url(case) -> str:
    return reverse(
        "portal:intake_done",
        kwargs={"office_code": case.office.code, "registration_number": case.registration_number},
    )


def intake_default(request):
    """/ajukan/: the form of the installation's default office."""
    office = default_office()
    if office is None:
        raise Http404
    return redirect(start_url(office))


@never_cache
@require_http_methods(["GET", "POST"])
def start(request, office_code):
    """What the service is and what will be asked; "Mulai" starts a fresh draft."""
    office = active_office_or_404(office_code)
    if request.method == "POST":
        drafts.start(request, office)
        return redirect(page_url(office, PAGES[0]))
    draft = drafts.get(request, office)
    resume = first_unanswered(draft) if draft else None
    return render(
        request,
        "portal/intake/start.html",
        {
            "office": office,
            "page_count": len(PAGES),
            "has_services": office.service_types.filter(is_active=True).exists(),
            "resume_url": (page_url(office, resume) if resume else check_url(office)) if draft else None,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def page(request, office_code, page_slug):
    """One question (or a small group) of the intake, checked and kept in the session's draft."""
    office = active_office_or_404(office_code)
    page = PAGES_BY_SLUG.get(page_slug)
    if page is None:
        raise Http404
    draft = drafts.get(request, office)
    if draft is None:
        return redirect(start_url(office))
    back_to_check = request.GET.get("kembali") == BACK_TO_CHECK

    if request.method == "POST":
        form = page.form_class(request.POST, request.FILES, office=office, draft=draft)
        form.is_valid()
        if isinstance(form, CompanionForm):
            _store_upload(request, office, draft, form)
        if not form.errors:
            draft["answers"].update(form.answers())
            if isinstance(form, CompanionForm):
                draft["has_companion"] = form.cleaned_data["has_companion"]
                if draft["has_companion"] != YES:
                    document_discard_drafts(document["token"] for document in draft.get("documents", []))
                    draft["documents"] = []
            if page.slug not in draft["answered"]:
                draft["answered"].append(page.slug)
            drafts.save(request, office, draft)
            return redirect(_after(office, draft, page, back_to_check))
    else:
        stored = {**draft["answers"], "has_companion": draft.get("has_companion")}
        form = page.form_class(initial=stored, office=office, draft=draft)
        # Sent here by the check page's error summary: the stored answer went stale (a service withdrawn),
        # so the page shows its error beside the field instead of a blank question.
        if back_to_check and services.intake_check(office=office, data=draft["answers"], only=page.fields)[1]:
            form = page.form_class({k: v for k, v in stored.items() if v is not None}, office=office, draft=draft)
            form.is_valid()

    return render(
        request,
        page.template,
        {
            "office": office,
            "page": page,
            "form": form,
            "number": PAGES.index(page) + 1,
            "page_count": len(PAGES),
            "action": page_url(office, page, back_to_check=back_to_check),
            "back_url": _back_url(office, page, back_to_check),
            "documents": draft.get("documents", []),
        },
    )


def _back_url(office, page, back_to_check: bool) -> str:
    """Returns where "Kembali" leads: the check page during a change, else the question before."""
    if back_to_check:
        return check_url(office)
    previous = previous_page(page)
    return page_url(office, previous) if previous else start_url(office)


# Uploads one address may send per hour, per request it may submit: room to replace a file a few times.
UPLOADS_PER_REQUEST = 3


def _store_upload(request, office, draft: dict, form: CompanionForm) -> None:
    """Stores a chosen power of attorney as a draft document at once (even when another answer on the
    page is wrong, so it need not be chosen again) and replaces the one uploaded before."""
    upload = form.wants_upload()
    if upload is None:
        return
    # Each upload writes up to 5 MB: a script posting files in a loop is stopped like one sending forms.
    limit = settings.INTAKE_RATE_LIMIT * UPLOADS_PER_REQUEST
    if rate_limit_exceeded(scope="intake-upload", client=client_ip(request.META), limit=limit):
        form.add_error(
            "power_of_attorney", _("Terlalu banyak berkas dikirim dari alamat ini dalam satu jam. Coba lagi nanti.")
        )
        return
    try:
        document = document_store_upload(
            kind=CaseDocument.Kind.POWER_OF_ATTORNEY, field="power_of_attorney", upload=upload
        )
    except InvalidFields as exc:
        for field, message in exc.errors.items():
            form.add_error(field if field in form.fields else None, message)
        return
    # The file replaces the one sent before: that draft is deleted now rather than left for a day.
    document_discard_drafts(old["token"] for old in draft.get("documents", []))
    draft["documents"] = [{"token": document.draft_token, "filename": document.filename}]
    drafts.save(request, office, draft)


def _after(office, draft: dict, page, back_to_check: bool) -> str:
    """Returns where to go after a page: on to the next question, or back to the check page once the
    draft is whole again (a changed answer can raise a new question, such as the address for a visit)."""
    if back_to_check:
        _cleaned, errors = services.intake_check(office=office, data=draft["answers"])
        for field, _message in errors.ordered():
            if field in PAGE_OF_FIELD:
                return page_url(office, PAGE_OF_FIELD[field], back_to_check=True)
        return check_url(office)
    following = next_page(page)
    return page_url(office, following) if following else check_url(office)


def _error_links(office, errors: dict) -> list[tuple[str, str]]:
    """Returns (link, message) pairs leading to the page and the field to put right."""
    links = []
    for field, message in errors.items():
        page = PAGE_OF_FIELD.get(field)
        if page is None:
            links.append(("#kirim", message))
            continue
        # Radios and checkboxes: the link leads to the first choice, as on the question's own page.
        widget = getattr(page.form_class.base_fields.get(field), "widget", None)
        suffix = "_0" if isinstance(widget, RadioSelect | CheckboxSelectMultiple) else ""
        links.append((f"{page_url(office, page, back_to_check=True)}#id_{field}{suffix}", message))
    return links


def _render_check(request, office, draft: dict, errors: list[tuple[str, str]], status: int = 200):
    return render(
        request,
        "portal/intake/check.html",
        {
            "office": office,
            "rows": summary_rows(draft, office),
            "draft": draft,
            "error_links": errors,
            "back_url": page_url(office, PAGES[-1]),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def check(request, office_code):
    """Check your answers; "Kirim permohonan" creates the case once, however often it is sent."""
    office = active_office_or_404(office_code)
    if request.method == "POST":
        return _submit(request, office)
    draft = drafts.get(request, office)
    if draft is None:
        return redirect(start_url(office))
    missing = first_unanswered(draft)
    if missing is not None:
        return redirect(page_url(office, missing))
    _cleaned, errors = services.intake_check(office=office, data=draft["answers"])
    return _render_check(request, office, draft, _error_links(office, dict(errors.ordered())))


def _submit(request, office):
    key = request.POST.get("idempotency_key", "")
    if request.POST.get("situs_web"):
        # The honeypot: a field no person sees. Whatever filled it is refused, and nothing is created.
        return render(request, "400.html", status=400)
    earlier = drafts.submitted_case_pk(request, key)
    if earlier is not None:
        case = Case.objects.filter(pk=earlier, office=office).select_related("office").first()
        if case is not None:
            access.grant(request, case)
            return redirect(done_url(case))
    draft = drafts.get(request, office)
    if draft is None:
        return redirect(start_url(office))
    if key != draft["key"]:
        # A check page from an earlier draft: show the current draft's answers instead.
        return redirect(check_url(office))
    if rate_limit_exceeded(scope="intake", client=client_ip(request.META), limit=settings.INTAKE_RATE_LIMIT):
        return render(request, "portal/intake/rate_limited.html", {"office": office}, status=429)
    try:
        case, _created = services.case_submit_once(
            office=office,
            data=draft["answers"],
            channel=Channel.WEB,
            actor=workflow.REQUESTER,
            idempotency_key=draft["key"],
            started_at=drafts.started_at(draft),
            document_tokens=[document["token"] for document in draft.get("documents", [])],
        )
    except InvalidFields as exc:
        return _render_check(request, office, draft, _error_links(office, exc.errors))
    except DomainError as exc:
        return _render_check(request, office, draft, [("#kirim", exc.message)])
    access.grant(request, case)
    drafts.remember_submission(request, draft["key"], case)
    drafts.clear(request, office)
    return redirect(done_url(case))


def _granted(request, office_code, registration_number):
    office = active_office_or_404(office_code)
    case = access.granted_case(request, registration_number)
    if case is None or case.office_id != office.pk:
        raise Http404
    return case


@never_cache
def done(request, office_code, registration_number):
    """The confirmation: the registration number, the tracking code and what happens next."""
    case = _granted(request, office_code, registration_number)
    return render(
        request,
        "portal/intake/done.html",
        {**case_facts(case), "tracking_url": tracking_url(case), "news_channel": news_channel(case)},
    )


def receipt(request, office_code, registration_number):
    """The receipt as a PDF, for this browser's own case only."""
    case = _granted(request, office_code, registration_number)
    pdf = receipt_pdf(request, case, request.build_absolute_uri(tracking_url(case)))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{case.registration_number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response

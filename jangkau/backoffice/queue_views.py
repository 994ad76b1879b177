"""The officers' work views: the queue and its filtered views (a PPID member's inbox among them), and search."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from jangkau.accounts.models import Role
from jangkau.audit.models import AuditEvent
from jangkau.cases.selectors import QueueEntry, queue_entries
from jangkau.core import clock

from .case_views import information_deadline
from .paging import capped_page_of, page_links

# What an officer may type in the search box; longer input is cut, not refused.
QUERY_MAX_LENGTH = 100
# Rows per page: a screenful of work, and the page's cost stays the same however long the queue grows.
QUEUE_PAGE_SIZE = 25
# Cases counted for the pager ("page 3 of 41"); a longer queue says "more than 2,000" and still pages on.
QUEUE_COUNT_CAP = 2000
# What the queue does not show: the personal data (encrypted, so each would be decrypted per row) and long texts.
NOT_SHOWN = ("id_document_number", "address", "disability_details", "no_id_reason", "need", "delivery_notes")


@dataclass(frozen=True)
class WorkView:
    slug: str  # the value of ?tampilan=
    selector_view: str  # the view of ``queue_entries``
    label: Promise
    caption: Promise
    empty: Promise
    # The roles it is offered to (None: everyone); the first view a role is offered with ``default_for`` is
    # what that role sees when no view is asked for.
    roles: frozenset | None = None
    default_for: frozenset = frozenset()


WORK_VIEWS = [
    WorkView(
        "kotak-ppid",
        "ppid_inbox",
        _("Kotak masuk PPID"),
        _("Kasus yang diteruskan kepada Anda dan belum Anda catat hasilnya, dalam urutan antrean"),
        _(
            "Tidak ada kasus yang menunggu Anda. Kasus yang diteruskan Petugas ULT kepada Anda akan muncul di sini "
            "dengan catatannya."
        ),
        roles=frozenset({Role.PPID_MEMBER}),
        default_for=frozenset({Role.PPID_MEMBER}),
    ),
    WorkView(
        "semua",
        "all",
        _("Semua"),
        _("Semua kasus yang sedang berjalan, dalam urutan antrean"),
        _(
            "Tidak ada kasus yang sedang berjalan di kantor ini. Permohonan baru akan muncul di sini begitu "
            "diajukan atau dicatat."
        ),
    ),
    WorkView(
        "saya",
        "mine",
        _("Pekerjaan saya"),
        _("Kasus yang menunggu Anda, dalam urutan antrean"),
        _(
            "Tidak ada kasus yang menunggu Anda. Kasus yang Anda terima, yang diteruskan kepada Anda, atau yang "
            "dialihkan kepada Anda akan muncul di sini. Permohonan baru ada di tampilan Semua."
        ),
    ),
    WorkView(
        "ppid",
        "ppid",
        _("Menunggu Tim PPID"),
        _("Kasus yang sedang diproses Tim PPID, dalam urutan antrean"),
        _("Tidak ada kasus yang sedang menunggu Tim PPID."),
    ),
    WorkView(
        "terjadwal",
        "scheduled",
        _("Terjadwal"),
        _("Kasus dengan jadwal layanan yang sudah disepakati, dalam urutan antrean"),
        _("Belum ada kasus dengan jadwal layanan yang disepakati."),
    ),
]
VIEWS_BY_SLUG = {view.slug: view for view in WORK_VIEWS}
# The whole queue: what everyone else sees first, and the view in which a search also finds ended cases.
ALL_VIEW = VIEWS_BY_SLUG["semua"]
DEFAULT_VIEW = ALL_VIEW


def views_for(user) -> list[WorkView]:
    """Returns the work views offered to the user's role, in tab order."""
    return [view for view in WORK_VIEWS if view.roles is None or user.role in view.roles]


def default_view_for(user) -> WorkView:
    """Returns the view the user sees when none is asked for: a PPID member's inbox, the whole queue else."""
    return next((view for view in views_for(user) if user.role in view.default_for), ALL_VIEW)


def _view_url(slug: str, query: str = "", *, default: WorkView = DEFAULT_VIEW) -> str:
    params = {} if slug == default.slug else {"tampilan": slug}
    if query:
        params["q"] = query
    base = reverse("backoffice:queue")
    return f"{base}?{urlencode(params)}" if params else base


def _annotate(entries: list[QueueEntry], view: WorkView, cal) -> None:
    """Adds what some rows show besides the queue's own columns: the legal deadline of public-information
    requests (``case.information_deadline``) and, in the PPID inbox, the note the case was forwarded with
    (``case.forward_note``). A fixed number of queries, and none when no row needs them."""
    legal = [entry.case for entry in entries if entry.case.information_due_at]
    if legal:
        now = clock.now()
        for case in legal:
            case.information_deadline = information_deadline(case, now=now, cal=cal)
    if view.selector_view == "ppid_inbox" and entries:
        # The latest forwarding is the one the member works on (a case can come back to PPID after a
        # reassignment); the audit trail keeps its note, so it is read from there.
        forwarded = AuditEvent.objects.filter(
            case_id__in=[entry.case.pk for entry in entries], action="case.forward_to_ppid"
        ).order_by("seq")
        notes = {event.case_id: event.changes.get("note", "") for event in forwarded.only("case_id", "changes")}
        for entry in entries:
            entry.case.forward_note = notes.get(entry.case.pk, "")


@login_required
def queue(request):
    """The office's cases in queue order (SPEC "Queue"), each with why it stands there and its SLA state.

    ``?tampilan=`` picks the work view (kotak-ppid for PPID members, semua, saya, ppid, terjadwal; anything
    else shows the user's default: a PPID member's inbox, "semua" for everyone else), ``?q=`` searches it by
    registration number, name, phone number or NIK. Only the user's own office is shown.
    """
    office = request.user.office
    if office is None:
        raise Http404
    offered = views_for(request.user)
    default = default_view_for(request.user)
    view = VIEWS_BY_SLUG.get(request.GET.get("tampilan", ""), default)
    if view not in offered:
        view = default
    query = " ".join(request.GET.get("q", "").split())[:QUERY_MAX_LENGTH]
    source = queue_entries(office, view=view.selector_view, user=request.user, query=query).without(*NOT_SHOWN)
    page = capped_page_of(request, source, QUEUE_PAGE_SIZE, QUEUE_COUNT_CAP)
    entries = list(page.object_list)
    _annotate(entries, view, source.calendar)
    tabs = [{"label": v.label, "url": _view_url(v.slug, default=default), "current": v is view} for v in offered]
    kept = {**({"tampilan": view.slug} if view is not default else {}), **({"q": query} if query else {})}
    return render(
        request,
        "backoffice/queue/queue.html",
        {
            "view": view,
            "tabs": tabs,
            "query": query,
            "entries": entries,
            "page": page,
            # Each row links to its case: the address reversed once, the number appended per row.
            "case_url_prefix": reverse("backoffice:case_detail", args=["-"])[:-2],
            **page_links(page, kept),
            "clear_search_url": _view_url(view.slug, default=default),
            "default_view": default,
            "time_zone": ZoneInfo(office.time_zone),
            "searches_ended_cases": view is ALL_VIEW,
        },
    )

"""The officers' work views: the queue and its filtered views, and search."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from jangkau.cases.selectors import queue_entries

# What an officer may type in the search box; longer input is cut, not refused.
QUERY_MAX_LENGTH = 100


@dataclass(frozen=True)
class WorkView:
    slug: str  # the value of ?tampilan=
    selector_view: str  # the view of ``queue_entries``
    label: Promise
    caption: Promise
    empty: Promise


WORK_VIEWS = [
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
DEFAULT_VIEW = WORK_VIEWS[0]


def _view_url(slug: str, query: str = "") -> str:
    params = {} if slug == DEFAULT_VIEW.slug else {"tampilan": slug}
    if query:
        params["q"] = query
    base = reverse("backoffice:queue")
    return f"{base}?{urlencode(params)}" if params else base


@login_required
def queue(request):
    """The office's cases in queue order (SPEC "Queue"), each with why it stands there and its SLA state.

    ``?tampilan=`` picks the work view (semua, saya, ppid, terjadwal; anything else shows "semua"), ``?q=``
    searches it by registration number, name, phone number or NIK. Only the user's own office is shown.
    """
    office = request.user.office
    if office is None:
        raise Http404
    view = VIEWS_BY_SLUG.get(request.GET.get("tampilan", ""), DEFAULT_VIEW)
    query = " ".join(request.GET.get("q", "").split())[:QUERY_MAX_LENGTH]
    entries = queue_entries(office, view=view.selector_view, user=request.user, query=query)
    tabs = [{"label": v.label, "url": _view_url(v.slug), "current": v is view} for v in WORK_VIEWS]
    return render(
        request,
        "backoffice/queue/queue.html",
        {
            "view": view,
            "tabs": tabs,
            "query": query,
            "entries": entries,
            "clear_search_url": _view_url(view.slug),
            "searches_ended_cases": view is DEFAULT_VIEW,
        },
    )

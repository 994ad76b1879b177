"""Following a request with its registration number and tracking code."""

from django.shortcuts import render


def track(request):
    """The form that asks for the registration number and the tracking code."""
    return render(request, "portal/tracking/lookup.html", {"number": request.GET.get("nomor", "")[:40]})

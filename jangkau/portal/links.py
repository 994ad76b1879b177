"""Links into the citizen portal that other interfaces (the API, messages, receipts) hand out."""

from urllib.parse import urlencode

from django.urls import reverse


def tracking_url(case) -> str:
    """Returns the path of the tracking page with the case's number filled in.

    The tracking code is never put in a link: links end up in browser histories, proxies' logs and shared
    screenshots, and the code is the requester's only proof of being the requester.
    """
    return f"{reverse('portal:track')}?{urlencode({'nomor': case.registration_number})}"

"""What a staff page may reach: the signed-in user's own office."""

from django.http import Http404


def user_office(request):
    """Returns the user's office. Raises Http404 for an account without one (an installation-wide
    administrator), whose pages of office data do not exist."""
    if request.user.office_id is None:
        raise Http404
    return request.user.office

"""The requester's survey page, reached through the private link handed over with the service (no login)."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from jangkau.core.errors import DomainError, InvalidFields

from .forms import SurveyForm
from .instrument import active_instrument
from .services import invitation_check, survey_answer_online


def _unavailable(request, exc: DomainError):
    # An unknown link is "not found", a closed one "gone"; an answered one is a polite page like any other.
    status = exc.status if exc.status in (404, 410) else 200
    return render(request, "surveys/unavailable.html", {"message": exc.message}, status=status)


@never_cache
def answer(request, token):
    """Shows the SKM of the link's case and records the answers (POST); a second answer is refused politely."""
    try:
        invitation = invitation_check(token)
    except DomainError as exc:
        return _unavailable(request, exc)
    instrument = active_instrument(invitation.case.office)
    form = SurveyForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer_online(token=token, data=form.cleaned_data)
        except InvalidFields as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except DomainError as exc:
            return _unavailable(request, exc)
        else:
            return redirect("surveys:thanks")
    return render(
        request,
        "surveys/answer.html",
        {"form": form, "instrument": instrument, "office": invitation.case.office, "closes_at": invitation.closes_at},
    )


def thanks(request):
    return render(request, "surveys/thanks.html", {"message": _("Terima kasih. Jawaban Anda sudah kami terima.")})

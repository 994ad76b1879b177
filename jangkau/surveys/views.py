"""The requester's survey page, reached through the private link handed over with the service (no login)."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from jangkau.core.errors import Conflict, InvalidFields

from .forms import SurveyForm
from .instrument import active_instrument
from .services import invitation_check, survey_answer_online

# How each refusal of the link answers: an unknown link is "not found"; the others are known links.
STATUS_OF = {"survey_unknown": 404, "survey_closed": 410}


@never_cache
def answer(request, token):
    """Shows the SKM of the link's case and records the answers (POST); a second answer is refused politely."""
    try:
        invitation = invitation_check(token)
    except Conflict as exc:
        return render(
            request, "surveys/unavailable.html", {"message": exc.message}, status=STATUS_OF.get(exc.code, 200)
        )
    instrument = active_instrument(invitation.case.office)
    form = SurveyForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer_online(token=token, data=form.cleaned_data)
        except InvalidFields as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except Conflict as exc:
            return render(request, "surveys/unavailable.html", {"message": exc.message})
        else:
            return redirect("surveys:thanks")
    return render(
        request,
        "surveys/answer.html",
        {"form": form, "instrument": instrument, "office": invitation.case.office, "closes_at": invitation.closes_at},
    )


def thanks(request):
    return render(request, "surveys/thanks.html", {"message": _("Terima kasih. Jawaban Anda sudah kami terima.")})

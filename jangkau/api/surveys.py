"""The satisfaction survey (SKM) in the API: the respondent's private link (no login), and officers'
entry of a paper form or an assisted interview. The same checks as the web pages (``surveys.answers``)."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from jangkau.surveys.instrument import active_instrument
from jangkau.surveys.models import Response
from jangkau.surveys.services import invitation_check, survey_answer_online, survey_record_by_officer

from .auth import staff_auth
from .errors import with_errors
from .inputs import BodySchema, Int, IsoDate
from .staff import case_of_office

router = Router(tags=["survey"])


class AnswersIn(BodySchema):
    """Scores 1 (worst) to 4 (best) per element code, and the respondent's profile."""

    u1: Int | None = None
    u2: Int | None = None
    u3: Int | None = None
    u4: Int | None = None
    u5: Int | None = None
    u6: Int | None = None
    u7: Int | None = None
    u8: Int | None = None
    u9: Int | None = None
    sex: str = Field("", max_length=1, description="L or P.")
    age: Int | None = Field(None, description="Whole years, 10 to 120.")
    education: str = Field("", max_length=10, description="sd, smp, sma, d1_d3, d4_s1 or s2.")
    occupation: str = Field("", max_length=20, description="pns, tni_polri, private, self_employed, student, other.")
    suggestion: str = Field("", max_length=2000)


class OfficerAnswersIn(AnswersIn):
    mode: Literal["paper", "assisted"] = Field(..., description="paper (a form typed in) or assisted (an interview).")
    answered_on: IsoDate | None = Field(None, description="The day the form was filled; today when left out.")


class SurveyElementOut(Schema):
    code: str
    question: str
    answers: list[str] = Field(description="The four labels, for scores 1 to 4.")


class SurveyOut(Schema):
    office: str
    closes_at: datetime
    elements: list[SurveyElementOut]
    sexes: dict[str, str]
    educations: dict[str, str]
    occupations: dict[str, str]


class ReceivedOut(Schema):
    received: bool = True
    mode: str


def _data(payload: AnswersIn) -> dict:
    # As the web form sends them: text, so the one checker reads both.
    return {key: "" if value is None else str(value) for key, value in payload.dict().items()}


@router.get(
    "/surveys/{token}",
    response=with_errors({200: SurveyOut}, 404, 409, 410, 422),
    operation_id="survey_questions",
    summary="The questions of a private survey link",
)
def survey_questions(request: HttpRequest, token: str):
    """Returns the office's questionnaire in the request's language while the link is open; 404 for an unknown
    link, 410 once it closed, 409 when it was answered."""
    invitation = invitation_check(token)
    instrument = active_instrument(invitation.case.office)
    return {
        "office": invitation.case.office.name,
        "closes_at": invitation.closes_at,
        "elements": [
            {"code": e.code, "question": e.display_question, "answers": e.display_labels}
            for e in instrument.elements.all()
        ],
        "sexes": {code: str(label) for code, label in Response.Sex.choices},
        "educations": {code: str(label) for code, label in Response.Education.choices},
        "occupations": {code: str(label) for code, label in Response.Occupation.choices},
    }


@router.post(
    "/surveys/{token}",
    response=with_errors({201: ReceivedOut}, 400, 404, 409, 410, 422),
    operation_id="survey_answer",
    summary="Answer a private survey link (once)",
)
def survey_answer(request: HttpRequest, token: str, payload: AnswersIn):
    """Records the answers; 422 with an error per field, 409 for a second answer, 410 after the window."""
    response = survey_answer_online(token=token, data=_data(payload))
    return Status(201, {"mode": response.mode})


@router.post(
    "/cases/{registration_number}/survey",
    auth=staff_auth,
    response=with_errors({201: ReceivedOut}, 400, 401, 403, 404, 409, 422),
    operation_id="case_survey_record",
    summary="Record a paper form or an assisted interview for a delivered case",
)
def case_survey_record(request: HttpRequest, registration_number: str, payload: OfficerAnswersIn):
    """ULT officers of the case's office; 409 before delivery or when the case already has its survey."""
    case = case_of_office(request, registration_number)
    data = _data(payload)
    response = survey_record_by_officer(
        case=case, actor=request.auth, mode=payload.mode, data=data, answered_on=payload.answered_on
    )
    return Status(201, {"mode": response.mode})

"""The intake's two message questions: how the requester wants to be told about the request
(``notify_channel``) and in which language (``language``), with their defaults for callers that do not ask."""

from datetime import date

import pytest
from django.utils import translation

from jangkau.cases import services as svc
from jangkau.cases.intake import FIELD_ORDER, clean_intake
from jangkau.cases.models import Case
from jangkau.core.errors import InvalidFields
from tests.builders import intake_data

TODAY = date(2025, 3, 3)
PHONE, EMAIL = "0812-3456-7890", "siti@contoh.id"


def check(only=("phone", "email", "notify_channel", "language"), **data):
    return clean_intake(data, catalogue={"data-informasi"}, today=TODAY, only=only)


def test_the_questions_come_right_after_the_email_address():
    at = FIELD_ORDER.index("email")

    assert FIELD_ORDER[at + 1 : at + 3] == ("notify_channel", "language")


@pytest.mark.parametrize(
    ("data", "channel"),
    [
        ({"phone": PHONE, "email": EMAIL, "notify_channel": "sms"}, "sms"),
        ({"phone": PHONE, "notify_channel": "whatsapp"}, "whatsapp"),
        ({"email": EMAIL, "notify_channel": "email"}, "email"),
        ({"phone": PHONE, "notify_channel": "none"}, "none"),
        ({"email": EMAIL, "notify_channel": "none"}, "none"),
    ],
)
def test_a_channel_with_its_address_is_kept(data, channel):
    cleaned, errors = check(**data)

    assert not errors
    assert cleaned["notify_channel"] == channel


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": EMAIL, "notify_channel": "whatsapp"}, "Untuk dikabari lewat WhatsApp, isi nomor telepon"),
        ({"email": EMAIL, "notify_channel": "sms"}, "Untuk dikabari lewat SMS, isi nomor telepon"),
        ({"phone": PHONE, "notify_channel": "email"}, "Untuk dikabari lewat surel, isi alamat surel"),
    ],
)
def test_a_channel_without_the_address_it_needs_is_refused_on_the_channel(data, message):
    cleaned, errors = check(**data)

    assert list(errors) == ["notify_channel"]
    assert errors["notify_channel"].startswith(message)
    assert "notify_channel" not in cleaned


def test_without_any_contact_both_the_contact_and_the_channel_are_named():
    """Both problems at once, so the requester puts them right in one go."""
    _cleaned, errors = check(notify_channel="whatsapp")

    assert list(errors.ordered()) == [
        ("phone", errors["phone"]),
        ("notify_channel", errors["notify_channel"]),
    ]
    assert "telepon atau surel" in errors["phone"]


def test_a_mistyped_phone_is_told_once_beside_the_phone():
    """The requester did give a phone: the channel needs no message of its own."""
    _cleaned, errors = check(phone="12", notify_channel="sms")

    assert list(errors) == ["phone"]


@pytest.mark.parametrize("value", ["telegram", "WhatsApp", 3, ["sms"]])
def test_an_unknown_channel_is_refused_listing_the_choices(value):
    _cleaned, errors = check(phone=PHONE, notify_channel=value)

    assert errors["notify_channel"] == "Pilihan tidak dikenal. Pilihan yang ada: whatsapp, sms, email, none."


@pytest.mark.parametrize(
    ("data", "channel"),
    [
        ({"phone": PHONE, "email": EMAIL}, "whatsapp"),
        ({"phone": PHONE}, "whatsapp"),
        ({"email": EMAIL}, "email"),
        ({"email": EMAIL, "notify_channel": ""}, "email"),
        ({"phone": "12", "email": EMAIL}, "email"),
    ],
)
def test_a_left_out_channel_follows_the_contact_details_given(data, channel):
    cleaned, _errors = check(**data)

    assert cleaned["notify_channel"] == channel


def test_a_left_out_channel_without_contact_details_is_none():
    cleaned, _errors = check(only=("notify_channel",))

    assert cleaned["notify_channel"] == "none"


def test_the_address_rule_waits_for_the_address_field():
    """A page that asks the channel but not the e-mail address cannot judge it (like the other cross-field
    rules): the check runs once both are in."""
    assert not check(only=("notify_channel",), notify_channel="email")[1]
    assert check(only=("notify_channel", "email"), notify_channel="email")[1]


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_language_is_kept(language):
    cleaned, errors = check(phone=PHONE, language=language)

    assert not errors and cleaned["language"] == language


@pytest.mark.parametrize("value", ["fr", "EN", "en-us", 1])
def test_an_unknown_language_is_refused_listing_the_choices(value):
    _cleaned, errors = check(phone=PHONE, language=value)

    assert errors["language"] == "Pilihan tidak dikenal. Pilihan yang ada: id, en."


@pytest.mark.parametrize(("active", "expected"), [("id", "id"), ("en", "en"), ("en-gb", "en"), ("nl", "id")])
def test_a_left_out_language_is_the_language_of_the_request(active, expected):
    with translation.override(active):
        cleaned, _errors = check(phone=PHONE, language=None)

    assert cleaned["language"] == expected


@pytest.mark.django_db
def test_case_submit_stores_both_answers(world, frozen):
    case = svc.case_submit(
        office=world.office, data=intake_data(world, email=EMAIL, notify_channel="email", language="en")
    )

    case.refresh_from_db()
    assert (case.notify_channel, case.language) == ("email", "en")


@pytest.mark.django_db
def test_case_submit_without_the_questions_stores_the_defaults(world, frozen):
    """Callers that predate the questions still submit: a phone means WhatsApp, in the request's language."""
    case = svc.case_submit(office=world.office, data=intake_data(world))

    case.refresh_from_db()
    assert (case.notify_channel, case.language) == ("whatsapp", "id")


@pytest.mark.django_db
def test_case_submit_refuses_a_channel_without_its_address_and_creates_nothing(world, frozen):
    with pytest.raises(InvalidFields) as refused:
        svc.case_submit(office=world.office, data=intake_data(world, notify_channel="email"))

    assert list(refused.value.errors) == ["notify_channel"]
    assert Case.objects.count() == 0

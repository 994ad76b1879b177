from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


def api_language(accept_language: str) -> str:
    """Returns the first supported language of an Accept-Language header ("en-US" counts as "en"), or the
    default (Indonesian) when none is supported."""
    supported = dict(settings.LANGUAGES)
    for tag, _quality in parse_accept_lang_header(accept_language or ""):
        primary = tag.split("-")[0].lower()
        if primary in supported:
            return primary
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Indonesian unless the person chose another language with the page's language switch.

    Many phones in Indonesia run an English system language while their owners read Indonesian best, so the
    browser's Accept-Language is not taken as a choice on pages; only the switch (its cookie) is. The JSON
    API has no switch: integrators choose with Accept-Language.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            language = api_language(request.headers.get("Accept-Language", ""))
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

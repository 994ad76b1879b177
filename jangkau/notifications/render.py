"""Turning an event and its facts into a message's subject and body, in the recipient's language."""

from __future__ import annotations

import re
from functools import lru_cache

from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .events import EVENTS, PLACEHOLDERS
from .models import MessageTemplate

# Office-edited texts run on an engine of their own: no loaders (no {% include %} of files), no autoescape
# (the body is plain text; the HTML part escapes it), and a marker for unknown placeholders so a typo is
# refused when saved instead of sending a blank.
_UNKNOWN = "\x00unknown:%s\x00"
_ENGINE = Engine(autoescape=False, loaders=[], string_if_invalid=_UNKNOWN, libraries={})
_UNKNOWN_RE = re.compile(r"\x00unknown:([^\x00]*)\x00")
# At most this much of a message: a body longer than a few SMS is no longer a short message.
MAX_SUBJECT = 200
MAX_BODY = 2000


@lru_cache(maxsize=512)
def _compiled(source: str):
    # Every intake and action renders the same few wordings: compiling one is the costly part, inside the
    # action's transaction, so each is compiled once per process (a compiled template renders many times).
    return _ENGINE.from_string(source)


def _render(source: str, context: dict) -> str:
    return _compiled(source).render(Context(context, autoescape=False))


def default_texts(event: str, language: str) -> tuple[str, str]:
    """Returns the built-in ``(subject, body)`` template of ``event`` in ``language``."""
    spec = EVENTS[event]
    with translation.override(language):
        return str(spec.subject), str(spec.body)


def office_texts(office, event: str, language: str) -> tuple[str, str, bool]:
    """Returns ``(subject, body, customised)``: the office's own template when it has one, else the built-in."""
    own = MessageTemplate.objects.filter(office=office, event=event, language=language).first()
    if own is not None:
        return own.subject, own.body, True
    return (*default_texts(event, language), False)


def render_message(office, event: str, language: str, context: dict) -> tuple[str, str]:
    """Returns the message's ``(subject, body)``: the office's wording of ``event`` with ``context`` filled
    in. Unknown placeholders (a template saved before a placeholder was retired) come out empty."""
    subject, body, _customised = office_texts(office, event, language)
    return render_texts(subject, body, context, language)


def render_texts(subject: str, body: str, context: dict, language: str) -> tuple[str, str]:
    """Returns ``(subject, body)`` rendered with ``context`` in ``language`` (a preview renders a wording
    not saved yet with ``sample_context``). Raises TemplateSyntaxError for broken syntax."""
    with translation.override(language):
        rendered_subject = _UNKNOWN_RE.sub("", _render(subject, context))
        rendered_body = _UNKNOWN_RE.sub("", _render(body, context))
    return " ".join(rendered_subject.split())[:MAX_SUBJECT], rendered_body.strip()[:MAX_BODY]


def sample_context(event: str) -> dict:
    """Returns example values for every placeholder of ``event``: the editor's preview."""
    return {name: PLACEHOLDERS[name][1] for name in EVENTS[event].placeholders}


def template_problems(event: str, subject: str, body: str) -> dict[str, str]:
    """Returns what is wrong with an office's wording, per field ("subject", "body"); empty when it is fine:
    template syntax, placeholders the event does not have, empty or overlong texts."""
    problems = {}
    context = sample_context(event)
    for field, source, limit in (("subject", subject, MAX_SUBJECT), ("body", body, MAX_BODY)):
        if not (source or "").strip():
            problems[field] = _("Isian ini wajib diisi.")
            continue
        if len(source) > limit:
            problems[field] = _("Paling banyak %(limit)s karakter.") % {"limit": limit}
            continue
        try:
            rendered = _render(source, context)
        except TemplateSyntaxError as exc:
            problems[field] = _("Susunan templat tidak dapat dibaca: %(error)s") % {"error": exc}
            continue
        unknown = sorted(set(_UNKNOWN_RE.findall(rendered)))
        if unknown:
            problems[field] = _("Tempat isian tidak dikenal: %(names)s. Yang tersedia: %(allowed)s.") % {
                "names": ", ".join(unknown),
                "allowed": ", ".join(EVENTS[event].placeholders),
            }
    return problems


def html_part(subject: str, body: str, language: str) -> str:
    """Returns the e-mail's HTML alternative: the same words as the plain text, with a heading, paragraphs
    and real links, in a page that names its language, so screen readers read it in the right voice."""
    with translation.override(language):
        return render_to_string(
            "notifications/email.html", {"subject": subject, "paragraphs": body.split("\n"), "language": language}
        )

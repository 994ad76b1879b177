"""Template helpers for the GOV.UK-style form patterns (templates/includes/field.html, error_summary.html)."""

from django import template

register = template.Library()


def hint_id(field) -> str:
    return f"{field.auto_id}-hint"


def error_id(field) -> str:
    return f"{field.auto_id}-error"


@register.simple_tag
def field_widget(field, **attrs):
    """Renders the field's widget pointing at its hint and error message.

    aria-describedby lists the hint and the error message ids (in reading order), and aria-invalid is set
    when the field has errors; any extra keyword arguments become widget attributes.
    """
    described_by = []
    if field.help_text:
        described_by.append(hint_id(field))
    if field.errors:
        described_by.append(error_id(field))
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


def link_target(field) -> str:
    """Returns the id a link to this field should point at: its first control for radios and checkboxes."""
    return field.id_for_label or (f"{field.auto_id}_0" if field.use_fieldset else field.auto_id)


@register.filter
def error_links(form):
    """Returns (target id, message) pairs for the error summary, in the order the fields appear.

    Errors that belong to no field (such as "wrong user name or password") link to the first visible
    field, so every item in the summary leads somewhere the user can act. A form whose
    ``summary_distinct_messages`` is true lists a message given to several fields once (a registration
    number and a code that do not match are both marked, but it is one problem).
    """
    visible = form.visible_fields()
    first_id = link_target(visible[0]) if visible else ""
    links = [(first_id, message) for message in form.non_field_errors()]
    for field in visible:
        links.extend((link_target(field), message) for message in field.errors)
    for field in form.hidden_fields():
        links.extend((first_id, message) for message in field.errors)
    if getattr(form, "summary_distinct_messages", False):
        seen: set[str] = set()
        links = [(target, message) for target, message in links if not (message in seen or seen.add(message))]
    return links


register.filter("hint_id", hint_id)
register.filter("error_id", error_id)

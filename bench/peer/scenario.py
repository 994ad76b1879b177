"""A citizen opening a ticket through django-helpdesk's public form, as the load generator sends it.

Standard library only: the load generator runs in Jangkau's venv. The caller owns the keep-alive
http.client.HTTPConnection to the peer's gunicorn, and reconnects it when a request fails.
"""

import http.client
import re
import uuid
from http.cookies import SimpleCookie

SUBMIT_PATH = "/helpdesk/tickets/submit/"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUEUE_SELECT = re.compile(r'<select name="queue"[^>]*>(.*?)</select>', re.DOTALL)
OPTION_VALUE = re.compile(r'<option value="(\d+)"')
# helpdesk's default priorities run from 1 (critical) to 5 (very low).
PRIORITIES = 5


def _origin(conn: http.client.HTTPConnection) -> str:
    return f"http://{conn.host}:{conn.port}"


def _csrf_cookie(response: http.client.HTTPResponse) -> str:
    cookie = SimpleCookie()
    for header in response.msg.get_all("Set-Cookie") or []:
        cookie.load(header)
    if "csrftoken" not in cookie:
        raise RuntimeError(f"GET {SUBMIT_PATH} set no csrftoken cookie")
    return cookie["csrftoken"].value


def _public_queue(html: str) -> str:
    select = QUEUE_SELECT.search(html)
    options = OPTION_VALUE.findall(select.group(1)) if select else []
    if not options:
        raise RuntimeError(f"the form at {SUBMIT_PATH} offers no queue open to public submission")
    return options[0]


def helpdesk_setup(conn: http.client.HTTPConnection) -> dict:
    """Load the public form once: the CSRF cookie, the form's token and the queue to submit to.

    An anonymous visitor's CSRF secret does not change between submissions, so one state serves every POST.
    """
    conn.request("GET", SUBMIT_PATH)
    response = conn.getresponse()
    html = response.read().decode()
    if response.status != 200:
        raise RuntimeError(f"GET {SUBMIT_PATH}: HTTP {response.status}")
    token = CSRF_INPUT.search(html)
    if not token:
        raise RuntimeError(f"the form at {SUBMIT_PATH} has no csrfmiddlewaretoken")
    return {"csrftoken": _csrf_cookie(response), "csrfmiddlewaretoken": token.group(1), "queue": _public_queue(html)}


def _multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    """The body a browser sends for this form, which is multipart/form-data because of its attachment input."""
    boundary = f"----bench{uuid.uuid4().hex}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    # An empty file input still goes out as a part with an empty filename, which Django reads as "no file".
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachment"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n"
    )
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


def _ticket_fields(state: dict, n: int) -> dict[str, str]:
    return {
        "csrfmiddlewaretoken": state["csrfmiddlewaretoken"],
        "queue": state["queue"],
        "title": f"Street light out on road {n}",
        "body": f"The street light in front of house {n} has been out for a week. Please repair it.",
        "priority": str(n % PRIORITIES + 1),
        "due_date": "",
        "submitter_email": f"visitor{n}@example.org",
    }


def helpdesk_submit(conn: http.client.HTTPConnection, state: dict, n: int) -> int:
    """POST one new ticket through the public form and return the HTTP status.

    Success is helpdesk's redirect to the ticket's public page (302), which is not followed. The body is read
    to the end so that the connection can carry the next request.
    """
    body, content_type = _multipart(_ticket_fields(state, n))
    origin = _origin(conn)
    headers = {
        "Content-Type": content_type,
        "Cookie": f"csrftoken={state['csrftoken']}",
        # Django's CSRF check compares Origin with the Host it was sent to, as a browser's form post would have it.
        "Origin": origin,
        "Referer": origin + SUBMIT_PATH,
    }
    conn.request("POST", SUBMIT_PATH, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status

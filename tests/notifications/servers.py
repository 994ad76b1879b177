"""Real servers on 127.0.0.1 for the notification tests: an SMTP server (aiosmtpd) that keeps what it is
sent, and an HTTP server standing in for the WhatsApp and SMS gateways, which can be told to fail."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Mailbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        with self.lock:
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A running SMTP server; ``messages`` are the parsed e-mails it received, in order."""

    def __init__(self):
        self.port = free_port()
        self.mailbox = _Mailbox()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self):
        with self.mailbox.lock:
            return list(self.mailbox.messages)

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]


@dataclass
class GatewayRequest:
    path: str
    headers: dict
    payload: dict


@dataclass
class Gateway:
    """An HTTP server standing in for the gateways. ``failures`` is a list of status codes answered to the
    next requests before succeeding; ``always`` answers every request with that status."""

    port: int = 0
    requests: list[GatewayRequest] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    always: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def received(self, path_prefix: str = "") -> list[GatewayRequest]:
        with self.lock:
            return [r for r in self.requests if r.path.startswith(path_prefix)]


def _handler(gateway: Gateway):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's hook name)
            length = int(self.headers.get("Content-Length", 0))
            payload = json.loads(self.rfile.read(length) or b"{}")
            with gateway.lock:
                gateway.requests.append(GatewayRequest(self.path, dict(self.headers), payload))
                status = gateway.always or (gateway.failures.pop(0) if gateway.failures else 200)
                number = len(gateway.requests)
            body = json.dumps(
                {"messages": [{"id": f"wamid.{number}"}]} if status == 200 else {"error": "gateway down"}
            ).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def run_gateway() -> Iterator[Gateway]:
    gateway = Gateway()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gateway))
    gateway.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()


def run_smtp() -> Iterator[SmtpServer]:
    smtp = SmtpServer()
    smtp.controller.start()
    try:
        yield smtp
    finally:
        smtp.controller.stop()

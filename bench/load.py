"""The load generator of ``make bench``: a separate process that sends requests from N client threads over
loopback for a fixed time and prints what it measured as JSON.

    python bench/load.py --port 8101 --scenario intake --clients 16 --seconds 30 [--office CODE --service CODE]

Scenarios: ``intake`` (Jangkau's ``POST /api/v1/requests``, each request a new requester with its own
Idempotency-Key and, through X-Forwarded-For, its own address, as the rate limit sees real requesters),
``floor`` (``POST /bench/floor``: the same body into a one-row insert) and ``helpdesk`` (django-helpdesk's
public ticket form, ``bench/peer/scenario.py``). Latency is measured per request, from sending to the last
byte of the answer; only the requests the server accepted (2xx, and the peer form's redirect) count.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.peer.scenario import helpdesk_setup, helpdesk_submit  # noqa: E402
from bench.stats import summary  # noqa: E402
from jangkau.api.samples import intake_request  # noqa: E402


def intake_body(n: int, office: str, service: str) -> bytes:
    """A valid request from a new requester: what a chatbot or a call-centre tool sends."""
    return json.dumps(intake_request(office=office, service=service, full_name=f"Warga Uji Beban {n}")).encode()


def _address(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class Scenario:
    def __init__(self, args):
        self.args = args
        self.tag = f"{time.time_ns():x}"

    def setup(self, conn) -> dict:
        return {}

    def send(self, conn, state: dict, n: int) -> int:
        raise NotImplementedError


class Intake(Scenario):
    path = "/api/v1/requests"

    def send(self, conn, state, n):
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": f"bench-{self.tag}-{n}",
            "X-Forwarded-For": _address(n),
        }
        conn.request("POST", self.path, body=intake_body(n, self.args.office, self.args.service), headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status


class Floor(Intake):
    path = "/bench/floor"


class Helpdesk(Scenario):
    def setup(self, conn):
        return helpdesk_setup(conn)

    def send(self, conn, state, n):
        return helpdesk_submit(conn, state, n)


SCENARIOS = {"intake": Intake, "floor": Floor, "helpdesk": Helpdesk}
ACCEPTED = {"intake": {201}, "floor": {201}, "helpdesk": {200, 201, 302, 303}}


def run(args) -> dict:
    scenario = SCENARIOS[args.scenario](args)
    accepted = ACCEPTED[args.scenario]
    counter = iter(range(10**9))
    lock = threading.Lock()
    latencies: list[float] = []
    refused: dict[int, int] = {}
    errors: list[str] = []
    deadline = time.monotonic() + args.seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        try:
            state = scenario.setup(conn)
        except Exception as error:  # noqa: BLE001 - reported, not raised: the run shows it
            errors.append(f"setup: {error!r}")
            return
        mine, odd = [], {}
        while time.monotonic() < deadline:
            with lock:
                n = next(counter)
            started = time.perf_counter()
            try:
                status = scenario.send(conn, state, n)
            except (OSError, http.client.HTTPException) as error:
                errors.append(repr(error))
                conn.close()
                continue
            if status in accepted:
                mine.append(time.perf_counter() - started)
            else:
                odd[status] = odd.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for status, count in odd.items():
                refused[status] = refused.get(status, 0) + count

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "scenario": args.scenario,
        "clients": args.clients,
        "seconds": round(elapsed, 2),
        "accepted": len(latencies),
        "refused": {str(k): v for k, v in sorted(refused.items())},
        "errors": len(errors),
        "first_errors": errors[:3],
        "rps": round(len(latencies) / elapsed, 1),
        **summary(latencies),
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--office", default="bpmp-dki")
    parser.add_argument("--service", default="data-informasi")
    return parser.parse_args(argv)


if __name__ == "__main__":
    print(json.dumps(run(parse_args())))

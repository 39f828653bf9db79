"""A loopback voter for load and crash tests: fetch the CSRF token once, then submit ballots.

Plain http.client over keep-alive connections to 127.0.0.1 only; every loop is bounded by the
codes it is given and a deadline.
"""

from __future__ import annotations

import http.client
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

TRACKER = re.compile(rb'id="tracker">([0-9a-f]{64})<')
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
LOOPBACK = ("127.0.0.1", "localhost")


class Session:
    """One client: a keep-alive connection with the CSRF cookie and token of one GET."""

    def __init__(self, host: str, port: int, timeout: float = 10.0) -> None:
        if host not in LOOPBACK:
            raise ValueError("load clients talk to the loopback interface only")
        self.host, self.port, self.timeout = host, port, timeout
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.cookie = ""
        self.token = ""

    def reconnect(self) -> None:
        self.conn.close()
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def prime(self, path: str = "/vote/") -> None:
        self.conn.request("GET", path)
        response = self.conn.getresponse()
        body = response.read()
        cookie = response.getheader("Set-Cookie", "")
        self.cookie = cookie.split(";", 1)[0]
        match = TOKEN.search(body)
        self.token = match.group(1).decode() if match else ""

    def post(self, path: str, data: Sequence[tuple[str, str]]) -> tuple[int, bytes]:
        body = urlencode([*data, ("csrfmiddlewaretoken", self.token)])
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": self.cookie,
            "Referer": f"http://{self.host}:{self.port}{path}",
        }
        self.conn.request("POST", path, body=body, headers=headers)
        response = self.conn.getresponse()
        return response.status, response.read()


def tracker_of(body: bytes) -> str | None:
    """The tracker on a receipt page, or None when the page is not a receipt."""
    match = TRACKER.search(body)
    return match.group(1).decode() if match else None


def ballot_form(code: str, marks: dict[str, list[str]], ballot: str = "") -> list[tuple[str, str]]:
    """The confirmation page's form: the code, the poll's ballot key (when given) and the marks."""
    data = [("step", "cast"), ("code", code)] + ([("ballot", ballot)] if ballot else [])
    data += [(f"i{item}", choice) for item, chosen in marks.items() for choice in chosen]
    return data


@dataclass
class Outcome:
    accepted: dict[str, str] = field(default_factory=dict)  # code -> tracker
    refused: int = 0
    failed: int = 0
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def submit_all(
    host: str,
    port: int,
    jobs: Sequence[tuple[str, dict[str, list[str]]]],
    clients: int,
    deadline: float,
    path: str = "/vote/",
    form: Callable[[str, dict[str, list[str]]], list[tuple[str, str]]] = ballot_form,
    accepted: Callable[[bytes], str | None] | None = None,
) -> Outcome:
    """Submit each (code, marks) once, spread over ``clients`` threads, until done or ``deadline``
    (a time.monotonic() value). A ballot counts as accepted only when its response says so."""
    outcome = Outcome()
    read_receipt = accepted or tracker_of
    queue = list(reversed(jobs))
    queue_lock = threading.Lock()

    def worker() -> None:
        session = Session(host, port)
        try:
            session.prime()
        except OSError:
            return
        while time.monotonic() < deadline:
            with queue_lock:
                if not queue:
                    return
                code, marks = queue.pop()
            start = time.perf_counter()
            try:
                status, body = session.post(path, form(code, marks))
            except (OSError, http.client.HTTPException):
                with outcome.lock:
                    outcome.failed += 1
                session.reconnect()
                continue
            elapsed = time.perf_counter() - start
            receipt = read_receipt(body) if status == 200 else None
            with outcome.lock:
                outcome.latencies.append(elapsed)
                if receipt:
                    outcome.accepted[code] = receipt
                elif status == 200:
                    outcome.refused += 1
                else:
                    outcome.failed += 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()) + 5)
    return outcome

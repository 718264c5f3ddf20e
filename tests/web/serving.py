"""The real server (`vrhub serve`'s waitress, with its proxy settings and limits) in a thread on a free port,
a small reverse proxy to put in front of it, and plain HTTP calls from a chosen loopback address."""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes


HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade", "proxy-connection"}


@contextmanager
def serving(threads: int = 4) -> Iterator[int]:
    """Serve the web application with vrhub's waitress settings (read from Django's settings now); yield
    the port."""
    from django.core.handlers.wsgi import WSGIHandler

    from vrhub.web.serve import make_server
    from vrhub.web.server_limits import stop

    server = make_server(WSGIHandler(), "127.0.0.1", 0, threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield int(server.effective_port)
    finally:
        stop(server)
        thread.join(5)


class _Forward(BaseHTTPRequestHandler):
    """What nginx does with `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    X-Forwarded-Proto https; X-Forwarded-Host $host`, in front of a TLS listener (not needed here)."""

    upstream = 0

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream, timeout=10)
        upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.headers.items():
            if name.lower() not in HOP_BY_HOP | {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"}:
                upstream.putheader(name, value)
        claimed = self.headers.get("X-Forwarded-For")
        hops = f"{claimed}, {self.client_address[0]}" if claimed else self.client_address[0]
        upstream.putheader("X-Forwarded-For", hops)
        upstream.putheader("X-Forwarded-Proto", "https")
        upstream.putheader("X-Forwarded-Host", self.headers.get("Host", ""))
        upstream.endheaders(body)
        answer = upstream.getresponse()
        data = answer.read()
        upstream.close()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP | {"content-length", "server", "date"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_HEAD = _forward

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read the answers, not the proxy's log."""


@contextmanager
def proxy_to(upstream: int) -> Iterator[int]:
    """A reverse proxy on a free loopback port forwarding to `upstream`; yield its port."""
    handler = type("Forward", (_Forward,), {"upstream": upstream})
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy.server_address[1]
    finally:
        proxy.shutdown()
        proxy.server_close()


def fetch(
    port: int,
    path: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    source: str = "127.0.0.1",
    timeout: float = 10,
) -> Answer:
    """One request from the loopback address `source` (127.0.0.2 and so on are other callers)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    conn.request(method, path, body, headers or {})
    response = conn.getresponse()
    answer = Answer(response.status, response.headers, response.read())
    conn.close()
    return answer


def connect(port: int, source: str = "127.0.0.1", timeout: float = 5) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0))
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Whatever the server sends until it closes the connection (or the socket's timeout passes)."""
    got = b""
    try:
        while chunk := sock.recv(65536):
            got += chunk
    except (TimeoutError, ConnectionResetError):
        return got  # the server stopped sending, or closed: what came so far is the answer
    return got

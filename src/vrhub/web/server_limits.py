"""Waitress with limits on what a caller may make it read, and for how long, before any view runs.

Waitress reads a whole request, body included, before Django sees it, and only closes a connection that has
been silent for `channel_timeout`. So an anonymous caller could make it read a 1 GB body that Django then
refuses, and a caller trickling a byte every few seconds (slowloris) holds a connection forever. Here:

- the body may be VRHUB_MAX_REQUEST_BYTES at most, refused with 413 as soon as the headers declare more
  (before a byte of the body is read); only a signed-in person's upload (a view that takes files, and a
  session cookie naming a live signed-in session) may send up to VRHUB_MAX_UPLOAD_BYTES;
- the request line and headers must arrive within VRHUB_HEADER_TIMEOUT of the connection's opening (for its
  first request) or of the request's first byte; the body within VRHUB_BODY_TIMEOUT of the headers, plus a
  second for every VRHUB_BODY_MIN_RATE bytes received (Apache mod_reqtimeout's rule); past either, the
  connection gets a 408 and is closed.

Subclasses of waitress's parser, channel and server, used by `create_server` here; waitress itself is left
as it is for anything else in the process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import MultiSocketServer, TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher
from waitress.utilities import RequestEntityTooLarge

log = logging.getLogger("vrhub.server")

# The views that take files (their forms check the file's own size and type), by URL name; and the admin.
UPLOAD_VIEWS = frozenset(
    {"uploads:new", "delivery:application_new", "delivery:application_edit", "delivery:application_gates"}
)
API_UPLOAD = "api-1:create_upload"  # POST /api/uploads, with a bearer token
# A multipart body is the file plus its boundaries and the form's other fields.
MULTIPART_ALLOWANCE = 1024 * 1024
_TOO_SLOW = b"The request took too long to arrive.\n"
TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain\r\n"
    b"Content-Length: %d\r\n\r\n%s" % (len(_TOO_SLOW), _TOO_SLOW)
)


@dataclass(frozen=True)
class Limits:
    body_bytes: int  # any request but a signed-in upload
    upload_bytes: int  # a signed-in upload
    header_timeout: float  # seconds for the request line and headers
    body_timeout: float  # seconds for the body, before the allowance for its size
    body_min_rate: float  # bytes a second: each this many received buys the body a second more
    # (path, Cookie header, Authorization header) -> may this request send upload_bytes? Asked only when a
    # body is over body_bytes.
    may_upload: Callable[[str, str, str], bool]

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(
            body_bytes=settings.VRHUB_MAX_REQUEST_BYTES,
            upload_bytes=max(settings.VRHUB_MAX_REQUEST_BYTES, settings.VRHUB_MAX_UPLOAD_BYTES)
            + MULTIPART_ALLOWANCE,
            header_timeout=settings.VRHUB_HEADER_TIMEOUT,
            body_timeout=settings.VRHUB_BODY_TIMEOUT,
            body_min_rate=settings.VRHUB_BODY_MIN_RATE,
            may_upload=signed_in_upload,
        )

    def body_limit(self, path: str, cookies: str, declared: int | None, authorization: str = "") -> int:
        """The most this request may send: `declared` is its Content-Length (None when chunked)."""
        if declared is not None and declared <= self.body_bytes:
            return self.body_bytes  # the common case needs no look-up
        return self.upload_bytes if self.may_upload(path, cookies, authorization) else self.body_bytes


def signed_in_upload(path: str, cookies: str, authorization: str = "") -> bool:
    """Is `path` a view that takes files, and does the session cookie name a live signed-in session (or, for
    the API's upload, the bearer token a live token)?

    Runs on the server's I/O thread, so it costs a URL match and at most two indexed queries, and only for
    a request whose body is over the ordinary limit."""
    from django.conf import settings
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.view_name == API_UPLOAD and authorization.startswith("Bearer "):
        return _live_token(authorization.removeprefix("Bearer ").strip())
    if match.view_name not in UPLOAD_VIEWS and "admin" not in match.namespaces:
        return False
    from django.http import parse_cookie

    key = parse_cookie(cookies).get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    from importlib import import_module

    from django.contrib.auth import get_user
    from django.db import connections
    from django.http import HttpRequest

    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(key)
    try:
        # Django's own test: the session exists and is unexpired, its user is active, its password unchanged.
        return bool(get_user(request).is_authenticated)  # type: ignore[arg-type]
    except Exception:
        log.exception("Could not check the session of a large request to %s", path)
        return False
    finally:
        connections.close_all()  # this thread's only: no request's end will close them


def _live_token(key: str) -> bool:
    """An API token that is not revoked, of an active user (as TokenAuth decides, by the key's hash)."""
    from django.db import connections

    from vrhub.web.api.models import KEY_PREFIX, ApiToken, hash_key

    if not key.startswith(KEY_PREFIX):
        return False
    try:
        found = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        return found is not None and found.revoked is None and found.user.is_active
    except Exception:
        log.exception("Could not check the token of a large API upload")
        return False
    finally:
        connections.close_all()  # this thread's only, as for a session


class LimitedParser(HTTPRequestParser):
    """Waitress's request parser, refusing a body over the caller's limit once the headers are in."""

    def __init__(self, adj: Adjustments, limits: Limits) -> None:
        super().__init__(adj)
        self.limits = limits
        self.started = time.monotonic()
        self.headers_at: float | None = None
        self.body_limit: int | None = None

    def received(self, data: bytes) -> int:
        if self.completed:
            return 0
        in_headers = not self.headers_finished
        consumed = super().received(data)
        if in_headers and self.headers_finished:
            self.headers_at = time.monotonic()
            if self.error is None and (self.content_length > 0 or self.chunked):
                path: str = self.path  # type: ignore[attr-defined]
                declared = None if self.chunked else self.content_length
                self.body_limit = self.limits.body_limit(
                    path, self.headers.get("COOKIE", ""), declared, self.headers.get("AUTHORIZATION", "")
                )
                if declared is not None and declared > self.body_limit:
                    return self._refuse(len(data))
        elif self.body_limit is not None and self.body_bytes_received > self.body_limit:
            return self._refuse(len(data))  # a chunked body past the limit
        return consumed

    def _refuse(self, datalen: int) -> int:
        self.error = RequestEntityTooLarge(f"the body may be {self.body_limit} bytes at most")
        self.completed = True
        self.expect_continue = False  # or the channel would ask for the body it is refusing
        self.connection_close = True
        return datalen  # the rest of what was read is the body: not parsed as a next request

    def overdue(self, now: float) -> str | None:
        """Why this request has run out of time, if it has."""
        limits = self.limits
        if self.headers_at is None:
            return "headers" if now - self.started > limits.header_timeout else None
        allowance = limits.body_timeout + self.body_bytes_received / limits.body_min_rate
        return "body" if now - self.headers_at > allowance else None


class LimitedChannel(HTTPChannel):
    """A connection whose requests use LimitedParser and that can be timed out mid-request."""

    def __init__(self, server: Any, sock: Any, addr: Any, adj: Adjustments, map: Any = None) -> None:
        super().__init__(server, sock, addr, adj, map)
        self.limits: Limits = server.limits
        self.parser_class = partial(LimitedParser, limits=self.limits)  # type: ignore[assignment]
        self.opened = time.monotonic()
        self.spoke = False

    def received(self, data: bytes) -> bool:
        first = not self.spoke
        self.spoke = self.spoke or bool(data)
        taken = super().received(data)
        if first and isinstance(self.request, LimitedParser) and not self.requests:
            # The first request's clock starts when the connection opens, not when it first speaks.
            self.request.started = self.opened
        return taken

    def overdue(self, now: float) -> str | None:
        if self.requests or self.will_close or self.close_when_flushed:
            return None  # being answered, or closing already
        request = self.request
        if isinstance(request, LimitedParser):
            return request.overdue(now)
        if not self.spoke and now - self.opened > self.limits.header_timeout:
            return "headers"  # a connection that never says anything; a kept-alive one has channel_timeout
        return None

    def time_out(self) -> None:
        """Answer 408 and close (in the I/O thread, between requests: no task writes to this channel)."""
        with self.outbuf_lock:
            self.outbufs[-1].append(TIMED_OUT)
            self.total_outbufs_len += len(TIMED_OUT)
        if self.request is not None:
            self.request.close()
            self.request = None
        self.will_close = True  # the next write sends what the socket takes, then closes


class LimitedServer(TcpWSGIServer):
    """Waitress's TCP server with LimitedChannel connections and request deadlines in its maintenance."""

    channel_class = LimitedChannel

    def __init__(self, application: Any, limits: Limits, **kw: Any) -> None:
        self.limits = limits
        super().__init__(application, **kw)

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # type: ignore[arg-type]  # idle connections, by channel_timeout
        clock = time.monotonic()
        channels: dict[int, LimitedChannel] = self.active_channels  # type: ignore[assignment]
        for channel in list(channels.values()):
            why = channel.overdue(clock)
            if why:
                log.info(  # as nginx logs a client that timed out: not a warning per connection of a flood
                    "Closed a connection from %s: its request's %s came too slowly",
                    channel.addr,
                    why,
                )
                channel.time_out()


def create_server(application: Any, limits: Limits, **adjustments: Any) -> LimitedServer | MultiSocketServer:
    """waitress.create_server for TCP sockets, with LimitedServer; `adjustments` are waitress's."""
    adj = Adjustments(**adjustments)
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    socket_map: dict[int, Any] = {}
    servers: list[Any] = [
        LimitedServer(application, limits, map=socket_map, dispatcher=dispatcher, adj=adj, sockinfo=sockinfo)
        for sockinfo in adj.listen
    ]
    if len(servers) == 1:
        return servers[0]
    listening = [(s.effective_host, s.effective_port) for s in servers]
    return MultiSocketServer(socket_map, adj, listening, dispatcher, servers[0].log_info)


def stop(server: LimitedServer | MultiSocketServer) -> None:
    """Close every socket from the server's own loop (which then returns), and end its worker threads."""
    either: Any = server  # waitress's stubs know neither map
    socket_map: dict[int, Any] = either.map if isinstance(server, MultiSocketServer) else either._map
    trigger = next(s for s in socket_map.values() if hasattr(s, "pull_trigger"))
    try:
        trigger.pull_trigger(lambda: wasyncore.close_all(socket_map))
    except OSError:
        # The trigger's pipe is already closed (seen once in a test run with 240 open connections): the
        # loop can no longer be woken, so close the sockets from here; an empty map ends its loop.
        wasyncore.close_all(socket_map)
    server.task_dispatcher.shutdown()


def descriptors_for(connections: int) -> int:
    """Raise this process's open-file limit for `connections` (a socket and up to two buffer files each);
    return how many connections it then allows."""
    try:
        import resource
    except ImportError:  # not a Unix: nothing to raise
        return connections
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 3 * connections + 64
    if soft != resource.RLIM_INFINITY and soft < wanted:
        raised = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
        except (ValueError, OSError):
            raised = soft  # not allowed to raise it: fewer connections are allowed below instead
        soft = raised
    if soft == resource.RLIM_INFINITY:
        return connections
    return max(1, min(connections, (soft - 64) // 3))

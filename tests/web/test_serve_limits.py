"""The real server refuses a body over the caller's limit as soon as the headers declare it (only a signed-in
person's upload may be large), and cuts off requests that arrive too slowly, so that neither big bodies nor
many slow or idle connections keep the pages from answering."""

from __future__ import annotations

import time

import pytest

from tests.web.serving import connect, fetch, read_all, serving

# Each test starts the real server and holds hundreds of connections or waits out a deadline.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

KIB = 1024


def post_head(path: str, length: int, cookie: str = "", chunked: bool = False) -> bytes:
    size = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}"
    cookies = f"Cookie: sessionid={cookie}\r\n" if cookie else ""
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{cookies}"
        f"Content-Type: multipart/form-data; boundary=x\r\n{size}\r\n\r\n"
    ).encode()


def answer_without_the_body(port: int, head: bytes, wait: float = 2) -> bytes:
    """Send only the headers; what the server answers within `wait` seconds (b'' if nothing)."""
    with connect(port, timeout=wait) as sock:
        sock.sendall(head)
        return read_all(sock)


@pytest.fixture
def small_limits(settings):
    settings.VRHUB_MAX_REQUEST_BYTES = 64 * KIB
    settings.VRHUB_MAX_UPLOAD_BYTES = 1024 * KIB


@pytest.fixture
def session(make_user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(make_user("partner", "Merseyside Police"))
    return client.cookies["sessionid"].value


def test_a_large_anonymous_body_is_refused_before_it_is_sent() -> None:
    with serving() as port:  # the default limits
        started = time.monotonic()
        answer = answer_without_the_body(port, post_head("/delivery/feedback/give/", 50 * 1024 * KIB))
        assert answer.startswith(b"HTTP/1.1 413 ")
        assert time.monotonic() - started < 1.5  # answered, and closed, without waiting for the 50 MB


def test_only_a_signed_in_upload_may_send_more_than_the_ordinary_limit(small_limits, session) -> None:
    with serving() as port:
        over = 200 * KIB  # over the ordinary 64 KiB, under the upload limit
        # Anonymous, a made-up session, or signed in but not an upload: refused at the headers.
        for head in [
            post_head("/uploads/new/", over),
            post_head("/uploads/new/", over, cookie="not-a-session"),
            post_head("/delivery/feedback/give/", over, cookie=session),
            post_head("/uploads/new/", 3072 * KIB, cookie=session),  # over the upload limit too
            post_head("/uploads/new/", 0, chunked=True),  # a chunked body, anonymous
        ]:
            with connect(port, timeout=2) as sock:
                sock.sendall(head)
                try:
                    if b"chunked" in head:
                        chunk = b"x" * (16 * KIB)
                        for _ in range(8):  # 128 KiB in all
                            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    answer = read_all(sock)
                except (ConnectionResetError, BrokenPipeError):
                    # A chunked body is refused once it passes the limit, while the client is still sending:
                    # the server closes with bytes unread, and the kernel may reset before the 413 is read.
                    answer = b"reset"
                refused = answer.startswith(b"HTTP/1.1 413 ")
                assert refused or (b"chunked" in head and answer == b"reset"), head
        # A signed-in upload: the server waits for the body and hands it on (to CSRF's 403 here).
        with connect(port, timeout=1) as sock:
            sock.sendall(post_head("/uploads/new/", over, cookie=session))
            assert read_all(sock) == b""  # nothing yet: it waits for the body
            sock.settimeout(5)
            sock.sendall(b"x" * over)
            answer = read_all(sock)
        assert answer.startswith(b"HTTP/1.1 ") and not answer.startswith(b"HTTP/1.1 413 "), answer[:40]


def test_many_slow_and_idle_connections_do_not_stop_the_pages(settings, web_data) -> None:
    settings.VRHUB_HEADER_TIMEOUT = 5  # longer than the test: they are all still open when it asks
    with serving() as port:
        assert fetch(port, "/", headers={"X-Forwarded-Proto": "https"}).status in (200, 301)  # warmed
        slow = []
        for i in range(240):  # waitress's own limit was 100 connections
            sock = connect(port)
            if i % 2:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never finished
            else:
                sock.sendall(post_head("/delivery/feedback/give/", 1_000_000_000))  # a 1 GB body, never sent
            slow.append(sock)
        try:
            started = time.monotonic()
            answer = fetch(port, "/", timeout=5)
            assert answer.status == 301  # plain HTTP: redirected, as production settings do
            assert time.monotonic() - started < 2
        finally:
            for sock in slow:
                sock.close()


def test_a_trickling_client_is_cut_off_after_the_deadline(settings) -> None:
    settings.VRHUB_HEADER_TIMEOUT = 1
    settings.VRHUB_BODY_TIMEOUT = 1
    settings.VRHUB_BODY_MIN_RATE = 1000  # bytes a second, after the first second
    with serving() as port:
        silent = connect(port, timeout=5)  # says nothing at all
        for head, trickle in [
            (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: ", b"a"),  # headers, a byte every 0.2 s
            (post_head("/delivery/feedback/give/", 60 * KIB), b"x"),  # a body allowed, at 5 bytes a second
        ]:
            with connect(port, timeout=0.2) as sock:
                started = time.monotonic()
                sock.sendall(head)
                answer = b""
                while time.monotonic() - started < 6 and not answer:
                    try:
                        sock.sendall(trickle)
                        answer = sock.recv(1024)
                    except TimeoutError:
                        continue
                    except (BrokenPipeError, ConnectionResetError):
                        break
                took = time.monotonic() - started
            assert answer.startswith(b"HTTP/1.1 408 "), (head, answer)
            assert 1 <= took < 3.5, (head, took)  # the deadline, checked each second
        assert read_all(silent).startswith(b"HTTP/1.1 408 ")
        silent.close()


def test_a_large_body_is_allowed_for_a_live_signed_in_session_on_a_view_that_takes_files(make_user) -> None:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from vrhub.web.server_limits import UPLOAD_VIEWS, signed_in_upload

    for name in UPLOAD_VIEWS:  # each still names a view (a renamed one would silently lose its allowance)
        try:
            reverse(name)
        except NoReverseMatch:
            reverse(name, kwargs={"pk": 1})
    person = make_user("partner", "Merseyside Police")
    client = Client()
    client.force_login(person)
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken=abc"
    assert signed_in_upload("/uploads/new/", cookie)
    assert signed_in_upload("/delivery/applications/new/", cookie)
    assert not signed_in_upload("/delivery/feedback/give/", cookie)  # takes no files
    assert not signed_in_upload("/uploads/new/", "sessionid=made-up")
    assert not signed_in_upload("/uploads/new/", "")
    person.is_active = False
    person.save()
    assert not signed_in_upload("/uploads/new/", cookie)

"""Behind a reverse proxy (VRHUB_PROXY_COUNT=1), the real server sees HTTPS as HTTPS and each caller as
itself: pages answer rather than redirecting to themselves, one caller's failed sign-ins do not lock out
another, callers have their own API allowance, and the audit log records the caller, not the proxy, whatever
the caller writes in X-Forwarded-For itself."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from tests.web.serving import fetch, proxy_to, serving

HOST = "vrhub.example.org"
ALICE, BOB, DIRECT = "127.0.0.2", "127.0.0.3", "127.0.0.5"
PASSWORD = "a-long-test-password-1"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def behind_proxy(settings):
    settings.VRHUB_PROXY_COUNT = 1
    settings.VRHUB_TRUSTED_PROXY = "127.0.0.1"
    settings.ALLOWED_HOSTS = [HOST]
    assert settings.SECURE_SSL_REDIRECT  # production settings: plain HTTP is redirected
    with serving() as server, proxy_to(server) as proxy:
        yield server, proxy


def sign_in(proxy: int, source: str, username: str, password: str, claimed: str | None = None) -> int:
    """Sign in through the proxy from `source` as a browser does (form, CSRF cookie and token); the
    status of the POST."""
    extra = {"X-Forwarded-For": claimed} if claimed else {}
    form = fetch(proxy, "/accounts/login/", headers={"Host": HOST, **extra}, source=source)
    assert form.status == 200
    cookie = re.search(r"csrftoken=([^;]+)", form.headers["Set-Cookie"]).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1).decode()
    posted = fetch(
        proxy,
        "/accounts/login/",
        "POST",
        headers={
            "Host": HOST,
            "Cookie": f"csrftoken={cookie}",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/accounts/login/",
            "Content-Type": "application/x-www-form-urlencoded",
            **extra,
        },
        body=urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode(),
        source=source,
    )
    return posted.status


@pytest.mark.slow
def test_pages_answer_through_the_proxy_and_plain_http_around_it_is_still_redirected(
    behind_proxy, web_data
) -> None:
    server, proxy = behind_proxy
    for path in ["/", "/accounts/login/"]:
        answer = fetch(proxy, path, headers={"Host": HOST})
        assert answer.status == 200, (path, answer.status, answer.headers.get("Location"))
    # Straight to the server, not through the proxy: the caller's own X-Forwarded-Proto is not believed.
    claims = {"Host": HOST, "X-Forwarded-Proto": "https"}
    around = fetch(server, "/accounts/login/", headers=claims, source=DIRECT)
    assert around.status == 301
    assert around.headers["Location"] == f"https://{HOST}/accounts/login/"


@pytest.mark.slow
def test_each_caller_is_itself_for_sign_in_throttling_and_the_audit_log(behind_proxy, make_user) -> None:
    from vrhub.web.accounts.models import AuditEvent

    _, proxy = behind_proxy
    make_user("viewer", username="someone")
    # Alice fails five times, claiming to be somebody else each time; the proxy appends her real address.
    codes = [sign_in(proxy, ALICE, "someone", "wrong", claimed=f"203.0.113.{i}") for i in range(5)]
    assert codes == [200, 200, 200, 200, 429]  # the fifth failure locks her out
    assert sign_in(proxy, ALICE, "someone", PASSWORD) == 429
    assert sign_in(proxy, ALICE, "someone", PASSWORD, claimed="198.51.100.1") == 429  # whatever she claims
    assert sign_in(proxy, BOB, "someone", PASSWORD) == 302  # Bob, at another address, is not
    failed = list(AuditEvent.objects.filter(action="login_failed").values_list("ip_address", flat=True))
    assert len(failed) >= 5 and set(failed) == {ALICE}  # neither the proxy's address nor the claimed ones
    assert AuditEvent.objects.get(action="login").ip_address == BOB


def test_each_caller_has_its_own_api_allowance(behind_proxy, web_data, settings) -> None:
    _, proxy = behind_proxy
    settings.VRHUB_API_RATE_PUBLIC = "2/min"
    url = "/api/published-figures"
    codes = [
        fetch(proxy, url, headers={"Host": HOST, "X-Forwarded-For": f"198.51.100.{i}"}, source=ALICE).status
        for i in range(3)
    ]
    assert codes == [200, 200, 429]
    assert fetch(proxy, url, headers={"Host": HOST}, source=BOB).status == 200

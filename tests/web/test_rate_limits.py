"""What anyone may call without signing in is rate limited: the open API per address (and per user or token
once signed in), and the public feedback form per address. Beyond the limit: 429 with Retry-After, and
nothing saved."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.conftest import bearer

PUBLISHED = "/api/published-figures"


def call(client: Client, url: str, address: str = "192.0.2.1", **headers: str):
    return client.get(url, secure=True, REMOTE_ADDR=address, **headers)


@pytest.mark.django_db
def test_the_public_api_answers_429_past_the_limit_per_address(client, settings) -> None:
    settings.VRHUB_API_RATE_PUBLIC = "3/min"
    assert [call(client, PUBLISHED).status_code for _ in range(3)] == [200, 200, 200]
    refused = call(client, PUBLISHED)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another address has its own allowance.
    assert call(client, PUBLISHED, address="192.0.2.2").status_code == 200


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_reset_the_limit(client, settings) -> None:
    settings.VRHUB_API_RATE_PUBLIC = "2/min"
    codes = [call(client, PUBLISHED, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(3)]
    assert codes == [200, 200, 429]
    # Behind our own proxy (VRHUB_PROXY_COUNT=1) the server sets REMOTE_ADDR to the hop the proxy appended
    # (see test_serve_proxy.py): another caller is another address, and the header still counts for nothing.
    settings.VRHUB_PROXY_COUNT = 1
    assert call(client, PUBLISHED, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert call(client, PUBLISHED, address="198.51.100.7").status_code == 200


@pytest.mark.slow
@pytest.mark.django_db
def test_a_token_has_the_users_allowance_not_the_public_one(web_data, token_for, settings) -> None:
    settings.VRHUB_API_RATE_PUBLIC = "1/min"
    settings.VRHUB_API_RATE_USER = "4/min"
    _, key = token_for("analyst")
    client = bearer(key)
    codes = [call(client, "/api/measures?measure=local_sv_offences").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]


def give(client: Client, text: str, address: str = "192.0.2.9"):
    return client.post(
        "/delivery/feedback/give/", {"text": text, "source": "community"}, secure=True, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_public_feedback_past_the_limit_is_refused_and_not_saved(client, settings) -> None:
    from vrhub.web.delivery.models import Feedback

    settings.VRHUB_FEEDBACK_RATE = "2/hour"
    assert give(client, "").status_code == 400  # a mistake in the form does not count
    assert [give(client, f"Idea {i}").status_code for i in range(2)] == [200, 200]
    refused = give(client, "One more idea")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    page = refused.content.decode()
    assert "a lot of feedback from your connection" in page and "try again in 60 minutes" in page
    assert sorted(Feedback.objects.values_list("text", flat=True)) == ["Idea 0", "Idea 1"]
    assert give(client, "From elsewhere", address="192.0.2.10").status_code == 200

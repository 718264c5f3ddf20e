"""`vrhub manage check --deploy` reports the settings with which the server behind its proxy cannot work, each
with what to change, and `vrhub serve` refuses to start with them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

SRC = Path(__file__).resolve().parents[2] / "src"


def messages(**changes: object) -> list:
    """The vrhub deployment checks' messages with these settings over a working deployment: behind one
    proxy on this machine, under a public name."""
    from django.test import override_settings

    working = {
        "DEBUG": False,
        "LOCAL_HTTP": False,
        "VRHUB_PROXY_COUNT": 1,
        "VRHUB_TRUSTED_PROXY": "127.0.0.1",
        "ALLOWED_HOSTS": ["vrhub.example.org"],
    }
    with override_settings(**{**working, **changes}):
        return run_checks(tags=["vrhub"], include_deployment_checks=True)


def found(**changes: object) -> dict[str, str]:
    """id -> hint of the messages with these settings."""
    return {m.id: m.hint for m in messages(**changes)}


def test_a_deployment_behind_one_proxy_passes() -> None:
    assert found() == {}
    assert found(VRHUB_PROXY_COUNT=2, VRHUB_TRUSTED_PROXY="10.0.0.5") == {}
    # This machine only (`vrhub serve` on 127.0.0.1), or a developer's: no proxy needed.
    assert found(VRHUB_PROXY_COUNT=0, LOCAL_HTTP=True, ALLOWED_HOSTS=["127.0.0.1", "localhost"]) == {}
    assert found(VRHUB_PROXY_COUNT=0, DEBUG=True, ALLOWED_HOSTS=["localhost"]) == {}


def test_no_proxy_off_this_machine_is_an_error_as_every_request_would_redirect() -> None:
    assert list(found(VRHUB_PROXY_COUNT=0)) == ["vrhub.E001"]
    assert "VRHUB_PROXY_COUNT=1" in found(VRHUB_PROXY_COUNT=0)["vrhub.E001"]
    assert list(found(VRHUB_PROXY_COUNT=-1)) == ["vrhub.E002"]


@pytest.mark.parametrize(
    ("trusted", "expected", "hint"),
    [
        ("", "vrhub.E003", "127.0.0.1"),
        ("proxy.internal", "vrhub.E004", "IP address"),  # waitress compares addresses as text: never matches
        ("0:0:0:0:0:0:0:1", "vrhub.E004", "Write it as ::1"),
        ("*", "vrhub.W001", "firewall"),
    ],
)
def test_a_proxy_the_server_cannot_recognise_is_reported(trusted: str, expected: str, hint: str) -> None:
    reported = found(VRHUB_TRUSTED_PROXY=trusted)
    assert list(reported) == [expected]
    assert hint in reported[expected]


def test_only_local_host_names_off_this_machine_is_an_error() -> None:
    reported = found(ALLOWED_HOSTS=["127.0.0.1", "localhost", "[::1]"])
    assert list(reported) == ["vrhub.E005"]
    assert "VRHUB_ALLOWED_HOSTS" in reported["vrhub.E005"]
    assert found(ALLOWED_HOSTS=["localhost", "vrhub.example.org"]) == {}


def test_plain_http_behind_a_proxy_is_a_warning() -> None:
    assert list(found(LOCAL_HTTP=True)) == ["vrhub.W002"]


def test_limits_must_be_positive() -> None:
    reported = messages(VRHUB_HEADER_TIMEOUT=0, VRHUB_MAX_REQUEST_BYTES=-1)
    assert [m.id for m in reported] == ["vrhub.E006", "vrhub.E006"]
    assert "VRHUB_MAX_REQUEST_BYTES is -1" in reported[0].msg
    assert "VRHUB_HEADER_TIMEOUT is 0" in reported[1].msg


def test_manage_check_deploy_fails_and_serve_refuses_to_start(settings) -> None:
    from vrhub.errors import VrhubError
    from vrhub.web.serve import refuse_unworkable

    settings.LOCAL_HTTP = False
    settings.VRHUB_PROXY_COUNT = 0
    settings.ALLOWED_HOSTS = ["vrhub.example.org"]
    with pytest.raises(SystemCheckError, match=r"vrhub\.E001"):
        call_command("check", "--deploy")
    with pytest.raises(VrhubError) as refused:
        refuse_unworkable()
    assert "vrhub.E001" in refused.value.message and "VRHUB_PROXY_COUNT=1" in refused.value.hint
    settings.VRHUB_PROXY_COUNT = 1
    refuse_unworkable()  # a working deployment starts


@pytest.mark.slow
def test_serve_on_this_machine_behind_a_proxy_redirects_plain_http(tmp_path: Path) -> None:
    """`vrhub serve` on 127.0.0.1 is plain HTTP for this machine, unless a proxy of ours is in front: then
    the world's requests are HTTPS and plain HTTP is redirected to it."""
    code = (
        "from pathlib import Path; from vrhub.web.serve import configure; "
        f"configure(Path({str(tmp_path)!r}), host='127.0.0.1'); "
        "from django.conf import settings; print(settings.LOCAL_HTTP, settings.SECURE_SSL_REDIRECT)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VRHUB_", "DJANGO_"))}
    env["PYTHONPATH"] = str(SRC)

    def settings_with(**extra: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], env={**env, **extra}, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert settings_with() == "True False"
    assert settings_with(VRHUB_PROXY_COUNT="1") == "False True"

"""Run the web application with a production server: one process, many threads, one shared warehouse.

Waitress (threads, not forked workers) because a DuckDB file admits one process: the threads share the
warehouse through vrhub.warehouse.shared, and uploads are written by one background thread.

Behind VRHUB_PROXY_COUNT proxies of ours, waitress believes X-Forwarded-For/-Proto/-Host from the nearest
(VRHUB_TRUSTED_PROXY) only, and takes the caller's address from the last VRHUB_PROXY_COUNT hops: Django sees
HTTPS and REMOTE_ADDR as the caller's. Request sizes and deadlines are web/server_limits.py's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any


def configure(
    data_dir: Path, warehouse: str | None = None, debug: bool = False, host: str = "127.0.0.1"
) -> None:
    """Point Django at a data folder before it is set up (settings read the environment once)."""
    # whitenoise's root; files come from finders
    (data_dir / "static").mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ["VRHUB_DATA_DIR"] = str(data_dir)
    if warehouse:
        os.environ["VRHUB_WAREHOUSE"] = warehouse
    os.environ["VRHUB_DEBUG"] = "1" if debug else os.environ.get("VRHUB_DEBUG", "0")
    if _is_loopback(host) and os.environ.get("VRHUB_PROXY_COUNT", "0").strip() in ("", "0"):
        # This machine only: plain HTTP. Behind a proxy of ours on this machine, the world's HTTPS instead.
        os.environ.setdefault("VRHUB_LOCAL_HTTP", "1")
    elif host not in os.environ.get("VRHUB_ALLOWED_HOSTS", ""):
        os.environ.setdefault("VRHUB_ALLOWED_HOSTS", f"{host},127.0.0.1,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrhub.web.settings")
    import django

    django.setup()


def check_port(host: str, port: int) -> None:
    """Say so plainly when another program holds the port, instead of a socket traceback."""
    import socket

    from vrhub.errors import VrhubError

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise VrhubError(
                f"cannot listen on {host}:{port}: {exc.strerror}",
                "Another server is using that port: stop it, or start vrhub with "
                "`vrhub serve --port N --data-dir DIR` on a free port.",
            ) from exc


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def prepare(
    demo_users: bool = False, demo_delivery: bool = False, say: Callable[[str], None] = print
) -> None:
    """Migrate Django's tables, open the warehouse, resume queued uploads, and compute the figures."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if demo_users:
        say("Demo users (passwords are new each time the demo starts):")
        call_command("demo_users")
    if demo_delivery:
        _demo_delivery(say)
    from vrhub.web import figures
    from vrhub.web.uploads.worker import resume

    resume()
    say("Computing the figures for the dashboard...")
    figures.warm()


# The demo's delivery records are as a steering group would see them in January 2022, after the data's end.
DEMO_TODAY = dt.date(2022, 1, 15)


def prepare_demo_delivery(target: Any, say: Callable[[str], None] = print) -> None:
    """The demo's delivery records and their indicators, loaded through `target` (the demo's Hub) so that
    `vrhub demo` writes its measures and report after this load, not before it."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    _demo_delivery(say, target)


def _demo_delivery(say: Callable[[str], None], target: Any = None) -> None:
    """`target`: the Hub to load into (default: the web application's shared one)."""
    from vrhub.web.delivery.demo import load_demo_delivery
    from vrhub.web.delivery.indicators import ingest_delivery_indicators

    made = load_demo_delivery(DEMO_TODAY)
    if made["loaded"]:
        say(
            f"Delivery demo: {made['interventions']} interventions, "
            f"{made['exception_reports']} exception reports"
        )
    else:
        say("Delivery demo: already loaded")
    loaded = ingest_delivery_indicators(target, today=DEMO_TODAY)
    say(f"Delivery indicators: {loaded.rows_loaded} rows loaded into the warehouse")
    from vrhub.web.delivery.evaluate import record_demo_evaluations
    from vrhub.web.warehouse import hub

    # What works, from the demo's participants and their matches.
    for e in record_demo_evaluations(target or hub()):
        say(
            f"What works: {e.intervention.title}: hazard ratio {e.effect:.2f} "
            f"(95% CI {e.ci_low:.2f} to {e.ci_high:.2f}), {e.get_verdict_display().lower()}"
        )


# The proxy headers waitress believes from our proxies: the caller's address, the scheme and the host name
# the caller asked for. (X-Forwarded-Port is left out: the scheme gives the port, and a proxy that does not
# set the header would pass on the caller's.)
PROXY_HEADERS = {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"}


def waitress_options(host: str, port: int, threads: int) -> dict[str, Any]:
    """Waitress's settings from Django's: the proxies it trusts, and its limits on connections."""
    from django.conf import settings

    from vrhub.web.server_limits import descriptors_for

    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "threads": threads,
        "ident": "vrhub",
        # X-Forwarded-* from anyone but our proxy are dropped before Django sees them.
        "clear_untrusted_proxy_headers": True,
        "max_request_header_size": 64 * 1024,
        "channel_timeout": max(1, math.ceil(settings.VRHUB_IDLE_TIMEOUT)),
        "cleanup_interval": 1,  # the request deadlines are checked this often
        "connection_limit": descriptors_for(settings.VRHUB_CONNECTION_LIMIT),
        "asyncore_use_poll": True,  # select() cannot watch descriptors past 1023
    }
    if settings.VRHUB_PROXY_COUNT > 0:
        options.update(
            trusted_proxy=settings.VRHUB_TRUSTED_PROXY,
            trusted_proxy_count=settings.VRHUB_PROXY_COUNT,
            trusted_proxy_headers=PROXY_HEADERS,
        )
    return options


def make_server(application: Any, host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> Any:
    """The waitress server for `application`, with vrhub's proxy settings and request limits; `.run()` it."""
    from vrhub.web.server_limits import Limits, create_server

    limits = Limits.from_settings()
    _load_urls()  # now, rather than in the I/O thread at the first large body
    options = waitress_options(host, port, threads)
    # Our parser refuses first, per caller; waitress's own limit is a backstop at the largest we allow.
    options["max_request_body_size"] = limits.upload_bytes + 1
    return create_server(application, limits, **options)


def _load_urls() -> None:
    from django.urls import Resolver404, resolve

    with contextlib.suppress(Resolver404):
        resolve("/")


def refuse_unworkable() -> None:
    """Refuse to start with settings that cannot work (the errors `vrhub manage check --deploy` reports)."""
    from django.core.checks import ERROR, run_checks

    from vrhub.errors import VrhubError

    errors = [m for m in run_checks(tags=["vrhub"], include_deployment_checks=True) if m.level >= ERROR]
    if errors:
        raise VrhubError(
            "; ".join(f"{m.msg} ({m.id})" for m in errors), "\n".join(m.hint or "" for m in errors).strip()
        )


def run(
    host: str = "127.0.0.1", port: int = 8000, threads: int = 8, say: Callable[[str], None] = print
) -> None:
    from django.conf import settings

    from vrhub.web.wsgi import application

    check_port(host, port)
    refuse_unworkable()
    server = make_server(application, host, port, threads)
    from vrhub.web.schedule import runner

    runner.start(say)  # a daemon thread: it ends with the server
    if settings.VRHUB_PROXY_COUNT:
        say(
            f"vrhub is serving at http://{host}:{port}/ behind {settings.VRHUB_PROXY_COUNT} proxy hop(s), "
            f"believing X-Forwarded-* from {settings.VRHUB_TRUSTED_PROXY} (Ctrl+C to stop)"
        )
    else:
        say(f"vrhub is serving at http://{host}:{port}/ (Ctrl+C to stop)")
    server.run()

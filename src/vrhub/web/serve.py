"""Run the web application with a production server: one process, many threads, one shared warehouse.

Waitress (threads, not forked workers) because a DuckDB file admits one process: the threads share the
warehouse through vrhub.warehouse.shared, and uploads are written by one background thread.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from collections.abc import Callable
from pathlib import Path


def configure(
    data_dir: Path, warehouse: str | None = None, debug: bool = False, host: str = "127.0.0.1"
) -> None:
    """Point Django at a data folder before it is set up (settings read the environment once)."""
    (data_dir / "static").mkdir(parents=True, exist_ok=True)  # whitenoise's root; files come from finders
    os.environ["VRHUB_DATA_DIR"] = str(data_dir)
    if warehouse:
        os.environ["VRHUB_WAREHOUSE"] = warehouse
    os.environ["VRHUB_DEBUG"] = "1" if debug else os.environ.get("VRHUB_DEBUG", "0")
    if _is_loopback(host):
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


def _demo_delivery(say: Callable[[str], None]) -> None:
    from vrhub.delivery.demo import load_demo_delivery
    from vrhub.delivery.indicators import ingest_delivery_indicators

    made = load_demo_delivery(DEMO_TODAY)
    if made["loaded"]:
        say(
            f"Delivery demo: {made['interventions']} interventions, "
            f"{made['exception_reports']} exception reports"
        )
    else:
        say("Delivery demo: already loaded")
    loaded = ingest_delivery_indicators(today=DEMO_TODAY)
    say(f"Delivery indicators: {loaded.rows_loaded} rows loaded into the warehouse")


def run(
    host: str = "127.0.0.1", port: int = 8000, threads: int = 8, say: Callable[[str], None] = print
) -> None:
    from waitress import serve

    from vrhub.web.wsgi import application

    check_port(host, port)

    say(f"vrhub is serving at http://{host}:{port}/ (Ctrl+C to stop)")
    serve(
        application, host=host, port=port, threads=threads, ident="vrhub", clear_untrusted_proxy_headers=True
    )

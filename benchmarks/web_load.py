"""Load test of the web application: `make bench` runs it after the pipeline benchmarks.

The demo data folder (built once into benchmarks/work/demo) is served by `vrhub serve` exactly as a user
would run it (waitress, production settings) on a loopback port. Locust then runs WEB_USERS simulated,
signed-in people (default 20) for WEB_SECONDS (default 30) reading the overview and measure pages, and the
public page. Target: p95 under 300 ms and no errors on a 2-core machine. Results: benchmarks/web_results.json.

Only 127.0.0.1 is ever contacted, and the run stops by itself.
"""

from __future__ import annotations

import json
import os
import platform
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE / "work" / "demo"
USERS = int(os.environ.get("WEB_USERS", "20"))
SECONDS = int(os.environ.get("WEB_SECONDS", "30"))
TARGET_P95_MS = 300
PAGES = ("/dashboard/", "/measures/[id]/", "/")
MEASURES = ["ho_knife_sv", "local_sv_offences", "ho_knife_admissions", "local_sv_victims_u25"]


def _env() -> dict[str, str]:
    env = {**os.environ, "VRHUB_DATA_DIR": str(DEMO)}
    env.pop("VRHUB_WAREHOUSE", None)
    return env


def _vrhub(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "vrhub", *args], env=_env(), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"vrhub {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str, str]:
    if not (DEMO / "warehouse.duckdb").exists():
        print(f"building the demo data in {DEMO} (once)...", flush=True)
        _vrhub("demo", "--dir", str(DEMO), "--no-serve")
    _vrhub("manage", "migrate", "--verbosity", "0")
    users = _vrhub("manage", "demo_users")
    password = dict(re.findall(r"^\s+(\w+)\s+(\S+)\s", users, flags=re.M))["analyst"]
    port = _free_port()
    log = open(HERE / "work" / "web_serve.log", "w")  # noqa: SIM115  (open for the server's lifetime)
    server = subprocess.Popen(
        [sys.executable, "-m", "vrhub", "serve", "--port", str(port)], env=_env(), stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=5)
            return server, url, password
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise SystemExit("vrhub serve did not start: see benchmarks/work/web_serve.log") from None
            time.sleep(0.5)


def run_locust(url: str, password: str) -> dict:
    # Locust (gevent) patches the standard library, so it is imported only here, in this process.
    import gevent
    from locust import HttpUser, between, task
    from locust.env import Environment

    class Reader(HttpUser):
        host = url
        wait_time = between(0.5, 1.5)

        def on_start(self) -> None:
            self.client.get("/accounts/login/", name="login form")
            token = self.client.cookies.get("csrftoken")
            # The cookies are Secure; browsers send them to localhost over HTTP, the requests library does
            # not, so the test client carries them by hand.
            response = self.client.post(
                "/accounts/login/",
                data={"username": "analyst", "password": password, "csrfmiddlewaretoken": token},
                headers={"Cookie": f"csrftoken={token}"},
                allow_redirects=False,
                name="sign in",
            )
            session = response.cookies.get("sessionid")
            if not session:
                raise RuntimeError(f"sign-in failed: HTTP {response.status_code}")
            self.client.headers["Cookie"] = f"sessionid={session}; csrftoken={token}"

        @task(3)
        def overview(self) -> None:
            self.client.get("/dashboard/", name="/dashboard/")

        @task(3)
        def measure(self) -> None:
            measure = MEASURES[int(time.monotonic() * 1000) % len(MEASURES)]
            self.client.get(f"/measures/{measure}/", name="/measures/[id]/")

        @task(1)
        def public(self) -> None:
            self.client.get("/", name="/")

    env = Environment(user_classes=[Reader])
    runner = env.create_local_runner()
    runner.start(USERS, spawn_rate=USERS)
    gevent.spawn_later(SECONDS, runner.quit)
    runner.greenlet.join()
    total = env.stats.total
    pages = {
        name: {
            "requests": s.num_requests,
            "failures": s.num_failures,
            "p50_ms": s.get_response_time_percentile(0.5),
            "p95_ms": s.get_response_time_percentile(0.95),
        }
        for (name, _method), s in env.stats.entries.items()
    }
    return {
        "users": USERS,
        "seconds": SECONDS,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "requests_per_s": round(total.num_requests / SECONDS, 1),
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
        "target_p95_ms": TARGET_P95_MS,
        "machine": f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}",
        "pages": pages,
        "errors": [f"{e.method} {e.name}: {e.error}" for e in env.stats.errors.values()][:10],
    }


def main() -> None:
    server, url, password = start_server()
    try:
        result = run_locust(url, password)
    finally:
        server.terminate()
        server.wait(timeout=30)
    (HERE / "web_results.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    # The target is for page views; signing in is slow by design (a deliberately costly password hash).
    pages = {name: s for name, s in result["pages"].items() if name in PAGES}
    met = all(s["p95_ms"] < TARGET_P95_MS for s in pages.values()) and result["failures"] == 0
    worst = max(s["p95_ms"] for s in pages.values())
    print(
        f"web load: page p95 at most {worst} ms (target < {TARGET_P95_MS}), {result['failures']} errors: "
        + ("met" if met else "NOT met")
    )


if __name__ == "__main__":
    main()

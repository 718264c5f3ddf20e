"""`vrhub serve` starts the scheduler beside waitress, and the scheduler's thread ticks until stopped."""

from __future__ import annotations

import threading

import pytest


def test_serving_starts_the_scheduler(monkeypatch: pytest.MonkeyPatch) -> None:
    from vrhub.web import serve
    from vrhub.web.schedule import runner

    events: list[str] = []

    class Server:
        def run(self) -> None:
            events.append("serving")

    monkeypatch.setattr(serve, "check_port", lambda host, port: None)
    monkeypatch.setattr(serve, "refuse_unworkable", lambda: None)
    monkeypatch.setattr(serve, "make_server", lambda *a, **k: Server())
    monkeypatch.setattr(runner, "start", lambda say: events.append("scheduler"))
    serve.run(say=lambda _message: None)
    assert events == ["scheduler", "serving"]


def test_the_thread_ticks_until_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    from vrhub.web.schedule import runner

    ticked = threading.Event()

    class Refresher:
        def tick(self) -> list[str]:
            ticked.set()
            return []

    monkeypatch.setattr(runner, "close_old_connections", lambda: None)
    scheduler = runner.Scheduler(check_every=0, refresh_every=3600, refresher=Refresher())  # type: ignore[arg-type]
    thread = scheduler.start()
    assert ticked.wait(5)  # the first tick comes at once, not after the interval
    assert thread.daemon and thread.name == "vrhub-scheduler"
    scheduler.stop(5)  # wakes the thread's wait: no hour's sleep
    assert not thread.is_alive()


def test_a_failed_tick_is_logged_and_the_thread_goes_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from vrhub.web.schedule import runner

    calls: list[int] = []
    second = threading.Event()

    class Refresher:
        def tick(self) -> list[str]:
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("warehouse unreachable")
            second.set()
            return []

    monkeypatch.setattr(runner, "close_old_connections", lambda: None)
    scheduler = runner.Scheduler(check_every=0, refresh_every=0.01, refresher=Refresher())  # type: ignore[arg-type]
    scheduler.start()
    try:
        assert second.wait(5)
    finally:
        scheduler.stop(5)
    assert "scheduled work failed" in caplog.text and "warehouse unreachable" in caplog.text

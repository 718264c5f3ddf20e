"""`vrhub demo` says what it is doing from its first second: each stage is announced as it starts, before
the imports and the work it needs."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vrhub.hub import Hub


class Stop(Exception):
    """Ends the demo once the stages under test have been heard."""


@pytest.mark.slow
def test_the_command_speaks_before_the_library_loads(tmp_path: Path) -> None:
    """In a fresh interpreter, the first line is out before pandas, Ibis or DuckDB are imported, and the
    first stage is announced before the data is generated (the generator here stands in and stops)."""
    script = textwrap.dedent(
        f"""
        import sys, types

        HEAVY = ("pandas", "scipy", "ibis", "duckdb", "django")
        first = []

        class Watch:
            def __init__(self, inner):
                self.inner = inner
            def write(self, text):
                if text.strip() and not first:
                    first.append([m for m in HEAVY if m in sys.modules])
                return self.inner.write(text)
            def __getattr__(self, name):
                return getattr(self.inner, name)

        written = []
        def generate_demo(folder, seed):
            written.append(sys.stdout.inner.getvalue())
            raise SystemExit(0)

        # Stands in for the generator (which would write ~350,000 rows) so the test ends there.
        fake = types.ModuleType("vrhub.synth")
        fake.generate_demo = generate_demo
        sys.modules["vrhub.synth"] = fake

        import io
        sys.stdout = Watch(io.StringIO())
        from vrhub.cli import app
        try:
            app(["demo", "--no-serve", "--dir", {str(tmp_path)!r}], prog_name="vrhub")
        except SystemExit:
            written.append("")  # the stand-in generator ends the command here, as intended
        sys.stdout = sys.__stdout__
        print("heavy at first line:", *first[0])
        print("before generating:", written[0].replace(chr(10), " | "))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    heavy, before = done.stdout.splitlines()[-2:]
    assert heavy == "heavy at first line:"
    assert f"Preparing the demo in {tmp_path}" in before
    assert f"Generating demo data in {tmp_path / 'demo-input'}..." in before


def test_hub_demo_announces_each_stage_as_it_starts(
    hub: Hub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Each stage is heard before its work: the generating before the generator runs, each file before its
    load, with its steps and then its counts; the measures before they are computed."""
    from vrhub import synth
    from vrhub.synth.services import write_indicators

    heard: list[str] = []
    steps: list[str] = []
    heard_when_generating: list[str] = []
    rows: list[int] = []

    def generate_demo(folder: Path, seed: int) -> dict[str, Path]:
        heard_when_generating.extend(heard)
        folder.mkdir(parents=True, exist_ok=True)
        path = write_indicators(folder / "indicators.csv")  # a few dozen rows: quick to load
        rows.append(len(path.read_text(encoding="utf-8").splitlines()) - 1)  # less the header
        return {"indicators": path}

    def note(message: str) -> None:
        heard.append(message)
        if message.startswith("Computing the measures"):
            raise Stop

    monkeypatch.setattr(synth, "generate_demo", generate_demo)
    with pytest.raises(Stop):
        hub.demo(progress=note, step=steps.append)

    folder = hub.settings.data_dir / "demo-input"
    assert heard_when_generating == [f"Generating demo data in {folder}..."]
    assert heard == [
        f"Generating demo data in {folder}...",
        f"Creating the warehouse {hub.settings.warehouse} and loading the reference data...",
        "Loading indicators (1 of 1): indicators.csv...",
        f"indicators: {rows[0]:,} rows loaded, 0 quarantined, 0 duplicates skipped",
        "Computing the measures...",
    ]
    assert steps == ["indicators.csv: checking", "indicators.csv: reading", "indicators.csv: loading"]

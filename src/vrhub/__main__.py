"""`python -m vrhub` is the `vrhub` command (for environments where the script is not on PATH)."""

from vrhub.cli import app

app(prog_name="vrhub")

"""The `vrhub` command line (`vrhub.cli:app`): the commands in main, the delivery commands in delivery, and
what every command shares in saying things (advice) and in its options."""

from vrhub.cli.main import app

__all__ = ["app"]

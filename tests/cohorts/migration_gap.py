"""Until the linkage's migration 8 (people, person_links) is on this branch, a no-op holds its place in the
tests, so that `migrate` (which never passes a version not handed in) reaches 9, the cohort sources' tables.
Inert once 8 is there: remove it then."""

from __future__ import annotations

import vrhub.hub
from vrhub.warehouse.migrations import Migration

_RESERVED = 8


def _held(_wh: object) -> None:
    """The linkage's place: nothing to do on a branch without it."""


def hold_linkage_place() -> None:
    listed = vrhub.hub.migrations

    def migrations() -> list[Migration]:
        steps = listed()
        if any(version == _RESERVED for version, _, _ in steps):
            return steps
        return sorted(
            [*steps, (_RESERVED, "(the linkage's place, held in the tests)", _held)], key=lambda m: m[0]
        )

    vrhub.hub.migrations = migrations  # type: ignore[assignment]

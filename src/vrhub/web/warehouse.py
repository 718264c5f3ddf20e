"""The server's one Hub over one shared warehouse (see vrhub.warehouse.shared for why there is one)."""

from __future__ import annotations

import threading

from django.conf import settings

from vrhub.config import settings as vrhub_settings
from vrhub.hub import Hub
from vrhub.warehouse import SharedWarehouse

_lock = threading.Lock()
_hub: Hub | None = None


def hub() -> Hub:
    global _hub
    with _lock:
        if _hub is None:
            config = vrhub_settings(data_dir=settings.DATA_DIR, warehouse=settings.VRHUB_WAREHOUSE)
            shared = SharedWarehouse(config.warehouse)
            candidate = Hub(config, shared=shared)
            try:
                candidate.init()
            except BaseException:
                shared.close()
                raise
            _hub = candidate
        return _hub


def close() -> None:
    """Release the warehouse (tests, and a server shutting down)."""
    global _hub
    with _lock:
        if _hub is not None and _hub.shared is not None:
            _hub.shared.close()
        _hub = None

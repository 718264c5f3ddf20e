"""The warehouse: every read and write of vrhub's tables goes through `Warehouse` (Ibis underneath)."""

from vrhub.warehouse.connection import Warehouse, open_warehouse

__all__ = ["Warehouse", "open_warehouse"]

"""The warehouse: every read and write of vrhub's tables goes through `Warehouse` (Ibis underneath)."""

from vrhub.warehouse.connection import Warehouse, open_warehouse
from vrhub.warehouse.shared import SharedWarehouse

__all__ = ["SharedWarehouse", "Warehouse", "open_warehouse"]

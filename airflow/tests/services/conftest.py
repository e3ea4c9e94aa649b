"""Fixtures of the end-to-end tests on real services (see services_support.py)."""

from services_support import samples_volume, services, unique, warehouse_db

__all__ = ["samples_volume", "services", "unique", "warehouse_db"]

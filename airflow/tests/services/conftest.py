"""Fixtures of the end-to-end tests on real services (see services_support.py)."""

from services_support import services, unique, warehouse_db

__all__ = ["services", "unique", "warehouse_db"]

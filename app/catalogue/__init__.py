"""Offices, desks, opening hours, closures and the services they offer."""

from app.catalogue import routes

__all__ = ["routes"]

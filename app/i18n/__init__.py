"""The translation catalog as served to the front ends, and the list of languages."""

from app.i18n import routes

__all__ = ["routes"]

"""Staff accounts, login with password and TOTP, sessions with CSRF, roles per office."""

from app.staff import routes

__all__ = ["routes"]

"""Anti-bot: ALTCHA challenges over HTTP, and the record that each solved one is used once."""

from app.antibot import routes

__all__ = ["routes"]

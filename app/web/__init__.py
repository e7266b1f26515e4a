"""The pages and static files of the citizen app, clerk workspace, kiosk and call display."""

from app.web import routes

__all__ = ["routes"]

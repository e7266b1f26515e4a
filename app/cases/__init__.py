"""The case (Vorgang): reference, status, capability tokens and the append-only timeline."""

from app.cases import routes

__all__ = ["routes"]

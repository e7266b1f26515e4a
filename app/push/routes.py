"""HTTP routes of the push domain."""

from litestar.types import ControllerRouterHandler

HANDLERS: list[ControllerRouterHandler] = []

"""HTTP routes of the queue domain."""

from litestar.types import ControllerRouterHandler

HANDLERS: list[ControllerRouterHandler] = []

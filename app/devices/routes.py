"""HTTP routes of the devices domain."""

from litestar.types import ControllerRouterHandler

HANDLERS: list[ControllerRouterHandler] = []

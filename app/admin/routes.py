"""HTTP routes of the administration."""

from litestar.types import ControllerRouterHandler

HANDLERS: list[ControllerRouterHandler] = []

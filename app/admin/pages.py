"""Administration pages (HTML shells; their scripts call the API)."""

from litestar.types import ControllerRouterHandler

HANDLERS: list[ControllerRouterHandler] = []

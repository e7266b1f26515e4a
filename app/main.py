"""The app factory: the only module that knows every domain."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.logging import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from piccolo.engine.base import Engine
from piccolo.table import Table

from app import antibot, cases, catalogue, i18n, staff, web
from app.admin import pages as admin_pages
from app.admin import routes as admin_routes
from app.antibot import service as antibot_service
from app.antibot.guards import require_proof_of_work
from app.antibot.piccolo_app import APP_CONFIG as ANTIBOT
from app.audit.piccolo_app import APP_CONFIG as AUDIT
from app.booking import jobs as booking_jobs
from app.booking import routes as booking_routes
from app.booking.context import BookingContext
from app.booking.piccolo_app import APP_CONFIG as BOOKING
from app.booking.rules import BookingRules
from app.cases.piccolo_app import APP_CONFIG as CASES
from app.catalogue.piccolo_app import APP_CONFIG as CATALOGUE
from app.core import database
from app.core.clock import Clock
from app.core.dependencies import DEPENDENCIES
from app.core.health import health, ready
from app.core.live import channels_plugin
from app.core.problems import EXCEPTION_HANDLERS
from app.core.ratelimit import RateLimits
from app.core.security import security_headers
from app.core.tokens import TokenSigner
from app.core.translation import Catalogs
from app.devices import routes as devices_routes
from app.devices.piccolo_app import APP_CONFIG as DEVICES
from app.jobs.piccolo_app import APP_CONFIG as JOBS
from app.jobs.worker import Handler, Worker
from app.live import routes as live_routes
from app.notify.piccolo_app import APP_CONFIG as NOTIFY
from app.notify.sender import make_sender
from app.notify.service import MAIL_SEND
from app.push import routes as push_routes
from app.push import sender as push_sender
from app.push.piccolo_app import APP_CONFIG as PUSH
from app.queue import routes as queue_routes
from app.queue.piccolo_app import APP_CONFIG as QUEUE
from app.retention import service as retention
from app.retention.rules import RetentionRules
from app.settings import ROOT, Settings
from app.staff import pages as staff_pages
from app.staff.piccolo_app import APP_CONFIG as STAFF
from app.workspace import pages as workspace_pages
from app.workspace import routes as workspace_routes
from app.workspace.piccolo_app import APP_CONFIG as WORKSPACE

# What each kind of background job runs; filled as domains add jobs (mail, reminders, …).
JOB_HANDLERS: dict[str, Handler] = {
    antibot_service.PURGE_KIND: antibot_service.run_purge,
}

TABLES: list[type[Table]] = [
    *CATALOGUE.table_classes,
    *CASES.table_classes,
    *JOBS.table_classes,
    *NOTIFY.table_classes,
    *ANTIBOT.table_classes,
    *STAFF.table_classes,
    *AUDIT.table_classes,
    *BOOKING.table_classes,
    *WORKSPACE.table_classes,
    *DEVICES.table_classes,
    *QUEUE.table_classes,
    *PUSH.table_classes,
]


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    engine: Engine[Any] | None = None,
) -> Litestar:
    """Build the app. Tests pass their own clock and an engine whose pool they own."""
    settings = settings or Settings.from_env()
    owns_engine = engine is None
    engine = engine or database.engine_for(settings.database_url)
    database.bind(TABLES, engine)

    clock = clock or Clock()
    limits = RateLimits.from_settings(settings, clock)
    signer = TokenSigner(settings.token_signing_key)
    booking = BookingContext(settings, BookingRules.from_env(), clock, signer)
    # Handlers that need the settings are built here, not at import time.
    worker = Worker(
        {
            **JOB_HANDLERS,
            MAIL_SEND: make_sender(settings, clock),
            **booking_jobs.handlers(booking),
            **retention.handlers(RetentionRules.from_env(), settings, clock),
            **push_sender.handlers(settings, clock),
        },
        clock,
    )

    @asynccontextmanager
    async def pool(_app: Litestar) -> AsyncIterator[None]:
        if owns_engine:
            await database.start(engine)
        try:
            yield
        finally:
            await limits.close()
            if owns_engine:
                await database.stop(engine)

    @asynccontextmanager
    async def background_jobs(_app: Litestar) -> AsyncIterator[None]:
        if not settings.run_worker:
            yield
            return
        await antibot_service.schedule_purge(clock.now())
        await retention.schedule(clock.now())
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run_forever(stop), name="amtsweg-jobs")
        try:
            yield
        finally:
            stop.set()
            await task

    return Litestar(
        route_handlers=[
            health,
            ready,
            *catalogue.routes.HANDLERS,
            *cases.routes.HANDLERS,
            *i18n.routes.HANDLERS,
            *antibot.routes.HANDLERS,
            *staff.routes.HANDLERS,
            *booking_routes.HANDLERS,
            *workspace_routes.HANDLERS,
            *workspace_pages.HANDLERS,
            *admin_routes.HANDLERS,
            *admin_pages.HANDLERS,
            *staff_pages.HANDLERS,
            *devices_routes.HANDLERS,
            *queue_routes.HANDLERS,
            *push_routes.HANDLERS,
            *live_routes.HANDLERS,
            *web.routes.handlers(settings),
        ],
        state=State(
            {
                "settings": settings,
                "engine": engine,
                "clock": clock,
                "worker": worker,
                "signer": signer,
                "booking": booking,
                # Booking's hold, waitlist and lottery-request routes run this guard.
                "antibot_guard": require_proof_of_work,
                "catalogs": Catalogs.load(
                    ROOT / "locales", settings.languages, settings.default_language
                ),
            }
        ),
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
        # Security headers outermost, so that a 429 from the rate limiter carries them too.
        middleware=[security_headers, limits.middleware],
        lifespan=[pool, background_jobs],
        plugins=[channels_plugin(settings)],
        compression_config=CompressionConfig(backend="brotli", brotli_gzip_fallback=True),
        openapi_config=OpenAPIConfig(
            title="Amtsweg",
            use_handler_docstrings=True,
            version="0.1.0",
            description="API of Amtsweg, an open-source digital Bürgeramt.",
            path="/api/schema",
            render_plugins=[JsonRenderPlugin(), YamlRenderPlugin()],
        ),
        logging_config=LoggingConfig(
            log_exceptions="debug",
            loggers={"amtsweg": {"level": logging.INFO, "handlers": ["queue_listener"]}},
        ),
        debug=False,
    )


def app_from_env() -> Litestar:
    """Entry point for the ASGI server (`granian --factory app.main:app_from_env`)."""
    return create_app()

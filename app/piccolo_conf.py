"""Piccolo's configuration, for its CLI and migrations.

The engine comes from the same settings the app reads; `create_app` binds the tables to
its own engine, so tests and the app never depend on this module's import-time choice.
"""

from piccolo.conf.apps import AppRegistry

from app.core.database import engine_for
from app.settings import Settings

DB = engine_for(Settings.from_env().database_url)

APP_REGISTRY = AppRegistry(
    apps=[
        "app.catalogue.piccolo_app",
        "app.cases.piccolo_app",
        "app.jobs.piccolo_app",
        "app.antibot.piccolo_app",
        "app.staff.piccolo_app",
        "app.audit.piccolo_app",
        "app.notify.piccolo_app",
        "app.booking.piccolo_app",
        "app.workspace.piccolo_app",
        "app.devices.piccolo_app",
        "app.queue.piccolo_app",
        "app.push.piccolo_app",
    ]
)

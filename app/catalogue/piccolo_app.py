from pathlib import Path

from piccolo.conf.apps import AppConfig

from app.catalogue.tables import Closure, Desk, DeskService, Office, OpeningHours, Service

APP_CONFIG = AppConfig(
    app_name="catalogue",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Office, Desk, OpeningHours, Closure, Service, DeskService],
    migration_dependencies=[],
    commands=[],
)

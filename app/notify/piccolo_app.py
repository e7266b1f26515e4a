from pathlib import Path

from piccolo.conf.apps import AppConfig

from app.notify.tables import Mail

APP_CONFIG = AppConfig(
    app_name="notify",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Mail],
    migration_dependencies=[],
    commands=[],
)

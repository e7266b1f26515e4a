from pathlib import Path

from piccolo.conf.apps import AppConfig

from app.devices.tables import Device

APP_CONFIG = AppConfig(
    app_name="devices",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Device],
    migration_dependencies=["app.catalogue.piccolo_app"],
    commands=[],
)

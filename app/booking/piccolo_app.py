from pathlib import Path

from piccolo.conf.apps import AppConfig

from app.booking.tables import Appointment, DeskUnit, Release, WaitlistEntry

APP_CONFIG = AppConfig(
    app_name="booking",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Appointment, DeskUnit, Release, WaitlistEntry],
    migration_dependencies=["app.catalogue.piccolo_app", "app.cases.piccolo_app"],
    commands=[],
)

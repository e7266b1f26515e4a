from pathlib import Path

from piccolo.conf.apps import AppConfig

from app.staff.tables import Membership, StaffMember

APP_CONFIG = AppConfig(
    app_name="staff",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[StaffMember, Membership],
    migration_dependencies=["app.catalogue.piccolo_app"],
    commands=[],
)

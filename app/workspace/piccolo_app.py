from pathlib import Path

from piccolo.conf.apps import AppConfig

from app.workspace.tables import Assignment, DocumentRequest, Upload

APP_CONFIG = AppConfig(
    app_name="workspace",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Assignment, DocumentRequest, Upload],
    migration_dependencies=["app.cases.piccolo_app"],
    commands=[],
)

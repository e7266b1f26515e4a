from pathlib import Path

from piccolo.conf.apps import AppConfig

from app.audit.tables import AuditEntry, AuditHead

APP_CONFIG = AppConfig(
    app_name="audit",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[AuditEntry, AuditHead],
    migration_dependencies=[],
    commands=[],
)

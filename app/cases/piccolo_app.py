from pathlib import Path

from piccolo.conf.apps import AppConfig

from app.cases.tables import Case, CaseCounter, CaseEvent, CaseToken

APP_CONFIG = AppConfig(
    app_name="cases",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Case, CaseEvent, CaseToken, CaseCounter],
    migration_dependencies=["app.catalogue.piccolo_app"],
    commands=[],
)

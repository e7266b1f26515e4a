from pathlib import Path

from piccolo.conf.apps import AppConfig

from app.push.tables import PushLink, PushNotice, PushSubscription

APP_CONFIG = AppConfig(
    app_name="push",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[PushSubscription, PushLink, PushNotice],
    migration_dependencies=["app.catalogue.piccolo_app", "app.cases.piccolo_app"],
    commands=[],
)

from pathlib import Path

from piccolo.conf.apps import AppConfig

from app.antibot.tables import SpentChallenge

APP_CONFIG = AppConfig(
    app_name="antibot",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[SpentChallenge],
    migration_dependencies=[],
    commands=[],
)

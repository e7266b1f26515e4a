from pathlib import Path

from piccolo.conf.apps import AppConfig

from app.queue.tables import ServiceGroup, Ticket, TicketCounter

APP_CONFIG = AppConfig(
    app_name="queue",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Ticket, TicketCounter, ServiceGroup],
    migration_dependencies=["app.catalogue.piccolo_app", "app.cases.piccolo_app"],
    commands=[],
)

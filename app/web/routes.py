from app.settings import Settings


def handlers(settings: Settings) -> list[object]:
    return []

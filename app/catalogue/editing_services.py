"""Changing services: names, descriptions and documents per language, fee, duration and
the ways a service is done (which drive the citizens' triage). Like `editing`, every
function runs inside the caller's write transaction; slugs are unique by index.
"""

from __future__ import annotations

from typing import Any

import msgspec

from app.catalogue import tables
from app.catalogue.editing import UNIQUE, fields
from app.catalogue.editing_schemas import AdminService, ServiceFields, check_service
from app.catalogue.service import ServiceNotFound
from app.core.errors import Conflict
from app.core.translation import _


class ServiceSlugTaken(Conflict):
    code = "service_slug_taken"
    message = _("Another service already has this short name.")


async def list_services() -> list[AdminService]:
    """Every service, also those no longer offered, in display order, every language."""
    rows = await (
        tables.Service.select()
        .order_by(tables.Service.position, tables.Service.id)
        .output(load_json=True)
    )
    return [_admin_service(row) for row in rows]


async def service(service_id: int) -> AdminService:
    row = await (
        tables.Service.select()
        .where(tables.Service.id == service_id)
        .first()
        .output(load_json=True)
    )
    if row is None:
        raise ServiceNotFound()
    return _admin_service(row)


async def create_service(data: ServiceFields) -> int:
    """A new service; raises the checks' errors and ServiceSlugTaken."""
    check_service(data)
    try:
        rows = await tables.Service.insert(
            tables.Service(**msgspec.structs.asdict(data))
        ).returning(tables.Service.id)
    except UNIQUE:
        raise ServiceSlugTaken(field="slug") from None
    return int(rows[0]["id"])


async def update_service(service_id: int, data: ServiceFields) -> None:
    """Replace the service's fields; raises ServiceNotFound and ServiceSlugTaken."""
    check_service(data)
    values = {getattr(tables.Service, key): value for key, value in fields(data).items()}
    try:
        rows = (
            await tables.Service.update(values)
            .where(tables.Service.id == service_id)
            .returning(tables.Service.id)
        )
    except UNIQUE:
        raise ServiceSlugTaken(field="slug") from None
    if not rows:
        raise ServiceNotFound()


def _admin_service(row: dict[str, Any]) -> AdminService:
    values = {name: row[name] for name in ServiceFields.__struct_fields__}
    for name in ("name", "description", "documents"):
        values[name] = values[name] or {}
    return AdminService(id=row["id"], **values)

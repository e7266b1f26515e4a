"""Files attached to a case: sniffed, size-limited, encrypted at rest, served to staff.

Only PDF, JPEG and PNG are taken, recognised by their first bytes (the name and the
declared type are the sender's word, not evidence). The encrypted file is written before
its row is inserted: a crash in between leaves an orphan file nobody can read, never a
row without bytes.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.core.errors import DomainError, NotFound
from app.core.translation import _
from app.settings import Settings
from app.workspace import vault
from app.workspace.schemas import Upload
from app.workspace.tables import Upload as UploadRow

MAX_BYTES = 10 * 1024 * 1024
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
_EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
_UNSAFE = re.compile(r"[^\w.\- ]+")


class UploadTooLarge(DomainError):
    status = 413
    code = "upload_too_large"
    message = _("The file is too large. Files may have at most 10 MB.")


class UnsupportedUpload(DomainError):
    status = 415
    code = "unsupported_upload"
    message = _("Only PDF, JPEG and PNG files can be uploaded.")


class EmptyUpload(DomainError):
    status = 422
    code = "empty_upload"
    message = _("The file is empty.")


class UploadNotFound(NotFound):
    code = "upload_not_found"
    message = _("This file does not exist.")


def directory(settings: Settings) -> Path:
    return settings.data_dir / "uploads"


def sniff(data: bytes) -> str:
    """The media type the bytes show, or UnsupportedUpload."""
    for signature, media_type in _SIGNATURES:
        if data.startswith(signature):
            return media_type
    raise UnsupportedUpload(field="file")


def check(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise UploadTooLarge(field="file")
    if not data:
        raise EmptyUpload(field="file")
    return sniff(data)


def clean_filename(name: str | None, media_type: str) -> str:
    """A name safe to show and to send back in Content-Disposition, with the right ending."""
    stem = _UNSAFE.sub("_", Path(name or "").name).strip(" ._")[:120] or "upload"
    extension = _EXTENSIONS[media_type]
    return stem if stem.lower().endswith(extension) else f"{stem}{extension}"


async def store(
    case_id: int,
    data: bytes,
    *,
    filename: str | None,
    staff_id: int,
    settings: Settings,
    now: datetime,
) -> Upload:
    """Encrypt and keep one file of a case; raises UploadTooLarge, UnsupportedUpload."""
    media_type = check(data)
    storage_key = vault.new_storage_key()
    sealed = vault.encrypt(data, key=vault.upload_key(settings.secret_key), storage_key=storage_key)
    # File work off the event loop: 10 MB written or read would stall every request.
    await asyncio.to_thread(vault.write, directory(settings), storage_key, sealed)
    rows = await UploadRow.insert(
        UploadRow(
            case_id=case_id,
            storage_key=storage_key,
            filename=clean_filename(filename, media_type),
            media_type=media_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=staff_id,
            uploaded_at=now.astimezone(UTC),
        )
    ).returning(*UploadRow.all_columns())
    return _upload(rows[0])


async def fetch(case_id: int, upload_id: int, *, settings: Settings) -> tuple[Upload, bytes]:
    """A file of a case, decrypted; UploadNotFound for another case's id, UploadUnreadable
    when the stored bytes were tampered with."""
    row = await (
        UploadRow.select()
        .where((UploadRow.id == upload_id) & (UploadRow.case_id == case_id))
        .first()
    )
    if row is None:
        raise UploadNotFound()
    sealed = await asyncio.to_thread(vault.read, directory(settings), row["storage_key"])
    plain = vault.decrypt(
        sealed, key=vault.upload_key(settings.secret_key), storage_key=row["storage_key"]
    )
    if hashlib.sha256(plain).hexdigest() != row["sha256"]:
        raise vault.UploadUnreadable()
    return _upload(row), plain


async def of_case(case_id: int) -> list[Upload]:
    rows = await UploadRow.select().where(UploadRow.case_id == case_id).order_by(UploadRow.id)
    return [_upload(row) for row in rows]


async def delete_of_cases(case_ids: Sequence[int], *, settings: Settings) -> int:
    """Delete the files (bytes and rows) of cases about to be deleted or erased."""
    if not case_ids:
        return 0
    rows = await (
        UploadRow.delete()
        .where(UploadRow.case_id.is_in(list(case_ids)))
        .returning(UploadRow.storage_key)
    )
    for row in rows:
        vault.remove(directory(settings), row["storage_key"])
    return len(rows)


def _upload(row: Mapping[str, Any]) -> Upload:
    return Upload(
        id=int(row["id"]),
        filename=row["filename"],
        media_type=row["media_type"],
        size=int(row["size"]),
        sha256=row["sha256"],
        uploaded_by=int(row["uploaded_by"]),
        uploaded_at=row["uploaded_at"],
    )

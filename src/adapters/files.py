"""Files on disk outside the web root, under random ids (never a user's file name as a path)."""

import os
import re
import secrets
from pathlib import Path

from domain.shared.errors import NotFound

_ID = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class DiskFileStore:
    """var/files/<first two characters>/<id>, written privately (0600) and atomically."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def put(self, data: bytes) -> str:
        file_id = secrets.token_urlsafe(24)
        path = self._path(file_id)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_suffix(".part")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        temporary.replace(path)
        return file_id

    def get(self, file_id: str) -> bytes:
        path = self._path(file_id) if _ID.match(file_id) else None
        if path is None or not path.is_file():
            raise NotFound()
        return path.read_bytes()

    def delete(self, file_id: str) -> None:
        if _ID.match(file_id):
            self._path(file_id).unlink(missing_ok=True)

    def _path(self, file_id: str) -> Path:
        return self._root / file_id[:2] / file_id

"""Evidence files for the review page, served only from the state folder's evidence directory.

Whatever a request asks for (``..``, an absolute path, an encoded slash, a symlink pointing
elsewhere), the path is resolved first and refused unless it lands inside the evidence folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.responses import FileResponse, PlainTextResponse, Response

# Saved pages come from another system and may carry scripts: shown sandboxed, scripts off.
HTML_POLICY = ("sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
               "font-src 'self' data:")
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
               ".txt": "text/plain; charset=utf-8", ".json": "application/json"}


def inside(base: Path, asked: str) -> Path | None:
    """The file ``asked`` names under ``base``, or None when it is missing or outside."""
    try:
        root = base.resolve(strict=True)
        target = (root / asked).resolve(strict=True)
    except (OSError, ValueError, RuntimeError):  # missing, NUL byte, symlink loop
        return None
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target


def relative_link(base: Path, recorded: Any) -> str | None:
    """The path under ``base`` of an evidence file the ledger recorded, for an /evidence/ link."""
    if not recorded or not isinstance(recorded, str):
        return None
    try:
        root = base.resolve()
        target = Path(recorded) if Path(recorded).is_absolute() else root / recorded
        return target.resolve().relative_to(root).as_posix()
    except (OSError, ValueError, RuntimeError):
        return None


def evidence_response(base: Path, asked: str) -> Response:
    """The evidence file as a response, or 404 when it is not a file inside ``base``."""
    target = inside(base, asked)
    if target is None:
        return PlainTextResponse("404: no such evidence file", status_code=404)
    media_type = MEDIA_TYPES.get(target.suffix.lower(), "application/octet-stream")
    headers = {"content-security-policy": HTML_POLICY} if media_type.startswith("text/html") \
        else {}
    return FileResponse(target, media_type=media_type, headers=headers)

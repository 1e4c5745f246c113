"""File responses with Chinese file names that every browser on a government PC saves correctly.

RFC 6266 with RFC 5987: ``filename*=UTF-8''…`` (percent-encoded UTF-8) for current browsers, and
a plain-ASCII ``filename="…"`` fallback (non-ASCII replaced) for old ones, which would otherwise
show mojibake or drop the name.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import FileResponse, HttpResponse


def content_disposition(filename: str, *, inline: bool = False) -> str:
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def bytes_download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_download(file: Any, *, filename: str, content_type: str) -> FileResponse:
    """Stream a stored file (``FieldFile`` opened for reading) without loading it into memory."""
    response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response

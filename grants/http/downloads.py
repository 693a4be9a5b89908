"""File downloads: the bytes as stored, always as an attachment, never sniffed."""

from urllib.parse import quote

from fastapi.responses import Response


def download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type, headers={
        "Content-Disposition": content_disposition(filename),
        "X-Content-Type-Options": "nosniff"})


def content_disposition(filename: str) -> str:
    """RFC 6266/5987: an ASCII fallback and the UTF-8 name, always as a download."""
    fallback = filename.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"

"""Absolute links (e-mails, calendar files, the calendar-feed address): built one way.

Every link that leaves a page starts with ``settings.SITE_URL`` (``REHABIT_SITE_URL``);
``rehabit serve --port P`` sets it to its own address when it is not set. A request's
``Host`` header is never used: links made by the background worker (which has no
request) and links made in a page must be the same, and a client-chosen host must not
end up in somebody's e-mail or calendar.
"""

from __future__ import annotations

from django.conf import settings


def site_base() -> str:
    """``https://rehabit.example`` (no trailing slash)."""
    return str(settings.SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """The absolute address of a path on this site (``path`` from ``reverse``)."""
    if not path.startswith("/"):
        raise ValueError(f"absolute_url needs a path from the site's root, not {path!r}")
    return site_base() + path


def serve_site_url(host: str, port: int) -> str:
    """The site address of ``rehabit serve --host host --port port``: what a browser on
    this machine opens (a wildcard bind address means this machine)."""
    if host in ("", "0.0.0.0", "::", "[::]"):  # noqa: S104 - naming, not binding
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"

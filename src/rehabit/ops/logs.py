"""Log lines with the request id: one JSON object per line (``REHABIT_LOG_FORMAT=json``,
the production default) or plain text.

Every record passes ``RequestIdFilter``, which stamps it with the id of the request (or
worker round) it was written in, so all lines of one request can be found by that id;
the response carries the same id in ``X-Request-ID``.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from rehabit.ops import context

# Attributes every LogRecord has: anything else was passed in ``extra`` and is written out.
# Django's own ``request`` extra is left out: its text holds the query string.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "request",
}


class RequestIdFilter(logging.Filter):
    """Stamp the request id; and where Django names the request's path (``Not Found:
    /path``, ``Internal Server Error: /path``), name it without a secret it may carry."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = context.current.get()
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple):
            path = getattr(request, "path", None)
            safe = context.loggable_path(request)
            if path is not None and safe != path:
                escaped = path.encode("unicode_escape").decode("ascii")
                record.args = tuple(safe if arg in (path, escaped) else arg for arg in record.args)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message,
    request_id, the fields passed in ``extra``, and the traceback if there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", context.current.get()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def gunicorn_logging(django_logging: dict[str, Any], *, own_access_log: bool) -> dict[str, Any]:
    """Gunicorn's logging configuration: Django's, with gunicorn's loggers on its handler;
    gunicorn's access lines only when Rehabit does not write its own."""
    config = {key: value for key, value in django_logging.items() if key != "loggers"}
    loggers = dict(django_logging.get("loggers", {}))
    loggers["gunicorn.error"] = {"level": "INFO", "handlers": ["console"], "propagate": False}
    loggers["gunicorn.access"] = {
        "level": "WARNING" if own_access_log else "INFO",
        "handlers": ["console"],
        "propagate": False,
    }
    config["loggers"] = loggers
    return config

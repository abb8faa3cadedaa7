"""The gauges a metrics scrape reads (``rehabit.ops.metrics``): name -> (help text, reader).

The queue's own come from here; an app adds its own at start-up (``register_reading`` in
its ``AppConfig.ready``), as booking does for the reminder lag, so the operations layer
imports no app above it. Kept apart from ``metrics`` so that registering one does not load
the Prometheus client in a process that never serves metrics.
"""

from __future__ import annotations

from collections.abc import Callable

_registered: dict[str, tuple[str, Callable[[], float]]] = {}


def register_reading(name: str, text: str, read: Callable[[], float]) -> None:
    _registered[name] = (text, read)


def readings() -> dict[str, tuple[str, Callable[[], float]]]:
    """The queue's readings first, then those the apps registered."""
    from rehabit.ops import queues

    own: dict[str, tuple[str, Callable[[], float]]] = {
        "rehabit_outbox_due_messages": (
            "E-mails in the outbox waiting to be sent now.",
            queues.outbox_due,
        ),
        "rehabit_tasks_ready": (
            "Background tasks (e-mails, reminders, offers) waiting to run now.",
            queues.tasks_ready,
        ),
    }
    return {**own, **_registered}

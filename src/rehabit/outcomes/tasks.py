"""Background work of the progress app, through django-tasks (run by ``rehabit worker``).

The reminder task is defined with its work in ``rehabit.outcomes.nudges`` (which queues
each next one). It is named here too because a queued task is stored by its path: a
reminder queued before 2026-12-06 points to ``rehabit.outcomes.tasks.send_diary_reminder``
and must still run after the upgrade.
"""

from __future__ import annotations

from rehabit.outcomes.nudges import send_diary_reminder

__all__ = ["send_diary_reminder"]

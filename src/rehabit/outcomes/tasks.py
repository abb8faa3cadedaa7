"""Background work of the progress app, through django-tasks (run by ``rehabit worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_diary_reminder(assessment_id: str, due: str) -> str:
    """Today's gentle reminder to log, if one is due (``rehabit.outcomes.nudges.run``)."""
    from rehabit.outcomes.nudges import run

    return run(assessment_id, due)

"""The clinic listens to the care app's check-ins and exercise withdrawals (alerts) without
the care app knowing it."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from rehabit.care.signals import check_in_recorded, exercise_withdrawn


@receiver(check_in_recorded, dispatch_uid="clinic.alerts_for_check_in")
def alerts_for_check_in(sender: Any, session: Any, steps: Any, signs: Any, **kwargs: Any) -> None:
    from rehabit.clinic.alerts import raise_for_check_in

    raise_for_check_in(session, steps, signs)


@receiver(exercise_withdrawn, dispatch_uid="clinic.alerts_for_withdrawal")
def alerts_for_withdrawal(sender: Any, withdrawal: Any, **kwargs: Any) -> None:
    from rehabit.clinic.alerts import raise_for_withdrawal

    raise_for_withdrawal(withdrawal)

"""Signals other apps may listen to (the clinic raises alerts from check-ins)."""

from django.dispatch import Signal

# Sent inside the check-in's transaction, after progression: ``session`` (the checked-in
# ExerciseSession), ``steps`` (its ProgressionSteps), ``signs`` (the plan's watch items
# the person reported, as ``rehabit.clinical.selfcare.WatchItem``).
check_in_recorded = Signal()

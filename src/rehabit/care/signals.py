"""Signals other apps may listen to (the clinic raises alerts from check-ins and from
exercises taken out of use)."""

from django.dispatch import Signal

# Sent inside the check-in's transaction, after progression: ``session`` (the checked-in
# ExerciseSession), ``steps`` (its ProgressionSteps), ``signs`` (the plan's watch items
# the person reported, as ``rehabit.clinical.selfcare.WatchItem``).
check_in_recorded = Signal()
# Sent inside the withdrawal's transaction when an administrator takes an exercise out of
# use (``rehabit.care.withdrawals``): ``withdrawal`` (the ExerciseWithdrawal). The clinic
# tells each therapist whose prescription of it is now paused.
exercise_withdrawn = Signal()

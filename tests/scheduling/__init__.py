"""Tests for the pure-Python scheduling core (rehabit.scheduling)."""

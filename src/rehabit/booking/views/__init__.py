"""Booking pages: thin views that parse, authorise, call one action or selector, render."""

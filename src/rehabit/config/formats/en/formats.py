"""British English, Rehabit's source language: the 24-hour clock ("04:04", "16:30")."""

TIME_FORMAT = "H:i"

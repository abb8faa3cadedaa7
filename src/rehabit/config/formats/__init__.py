"""Rehabit's date and time formats per language (settings.FORMAT_MODULE_PATH), read by
Django's localization (``django.utils.formats``) before its own formats of the language.

Here: the time of day and the order of a date. Django's "en" (and "en_GB") write
"4:04 a.m."; here English reads the 24-hour clock and the day before the month ("04:04",
"Saturday 5 December 2026": "en", which British English, "en-gb", the source language, and
every other English reads), and American English the 12-hour clock and the month first
("4:04 AM", "Saturday, December 5, 2026": "en_US"). ``core.timefmt`` formats every date
and time with these, by name (``local_format``): a page never writes a format itself.
"""

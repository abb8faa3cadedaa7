"""Rehabit's date and time formats per language (settings.FORMAT_MODULE_PATH), read by
Django's localization (``django.utils.formats``) before its own formats of the language.

Only what differs from Django's is here: the time of day. Django's "en" (and "en_GB") write
"4:04 a.m."; here English reads the 24-hour clock ("04:04": "en", which British English,
"en-gb", the source language, and every other English reads), and American English the
12-hour clock ("4:04 AM": "en_US"). ``core.timefmt`` formats every time with
``TIME_FORMAT``.
"""

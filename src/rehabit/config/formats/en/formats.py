"""British English, Rehabit's source language: the 24-hour clock ("04:04", "16:30") and the
day before the month ("Saturday 5 December 2026").

The names ending in ``_FORMAT`` that Django does not know (DAY_FORMAT...) are Rehabit's,
read by ``rehabit.core.timefmt.local_format``; every English but American reads these."""

TIME_FORMAT = "H:i"
TIME_WITH_SECONDS_FORMAT = "H:i:s"
# Saturday 5 December 2026
DAY_FORMAT = "l j F Y"
# Saturday 5 December (a day of a week whose year is said beside it)
DAY_WITHOUT_YEAR_FORMAT = "l j F"
# 5 December 1980 (a date of birth)
DATE_WITHOUT_WEEKDAY_FORMAT = "j F Y"
# 5 December
MONTH_DAY_FORMAT = "j F"
# December 2026
YEAR_MONTH_FORMAT = "F Y"
# 7 Jan (a date on a chart's axis)
SHORT_DAY_FORMAT = "j M"

# A date typed as text (a browser without a date picker), read day first as British English
# writes it: "12/8/1980" is 12 August 1980. Django adds ISO 8601 ("1980-08-12") to every
# language's list, so that form is always read. Two-digit years are not read (a date of
# birth in "80" could be either century).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"]

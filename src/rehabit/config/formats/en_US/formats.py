"""American English: the 12-hour clock, as the Unicode CLDR writes it for en-US ("4:04 AM",
"4:30 PM", "12:00 PM" for noon; Django's own "en" writes "4:04 a.m." and "noon"), and the
month before the day, as CLDR's and Django's en formats write dates ("Saturday, December 5,
2026"). Every name of ``en/formats.py`` is given again here, so none reads British."""

TIME_FORMAT = "g:i A"
TIME_WITH_SECONDS_FORMAT = "g:i:s A"
# Saturday, December 5, 2026
DAY_FORMAT = "l, F j, Y"
# Saturday, December 5
DAY_WITHOUT_YEAR_FORMAT = "l, F j"
# December 5, 1980
DATE_WITHOUT_WEEKDAY_FORMAT = "F j, Y"
# December 5
MONTH_DAY_FORMAT = "F j"
# December 2026
YEAR_MONTH_FORMAT = "F Y"
# Jan 7
SHORT_DAY_FORMAT = "M j"

# A date typed as text, read month first as American English writes it: "12/8/1980" is
# December 8, 1980, and "27/3/1980" is no date (never read day first here, so no typed
# date is read in the other order). ISO 8601 ("1980-12-08") is read in every language.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y"]

"""American English: the 12-hour clock, as the Unicode CLDR writes it for en-US ("4:04 AM",
"4:30 PM", "12:00 PM" for noon). Django's own "en" writes "4:04 a.m." and "noon"."""

TIME_FORMAT = "g:i A"

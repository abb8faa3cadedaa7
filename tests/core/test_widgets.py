"""``LongSelect``: the long zone list's options are built once per language and key (issue
10), and built again when the key says the labels changed (a zone's offset, at daylight
saving time), keeping the chosen option chosen."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django import forms
from django.utils import translation

from rehabit.core.widgets import LongSelect

MINUS = "\u2212"
# New York's clocks go forward at 07:00 UTC on 14 March 2027.
NEW_YORK_SPRING = datetime(2027, 3, 14, 7, 0, tzinfo=UTC)


class _Labels:
    """Choices whose labels name a version, with a count of the times they were read."""

    def __init__(self) -> None:
        self.version = 1
        self.reads = 0

    def key(self) -> int:
        return self.version

    def __call__(self) -> list[tuple[str, str]]:
        self.reads += 1
        return [(value, f"{value} v{self.version}") for value in ("a", "b", "c")]


def _picker(labels: _Labels, key: bool = True) -> Any:
    """A form class whose one field picks from ``labels`` through a ``LongSelect``."""

    class Picker(forms.Form):
        pick = forms.ChoiceField(
            choices=labels, widget=LongSelect(key=labels.key) if key else LongSelect
        )

    return Picker


def _render(picker: Any, value: str) -> str:
    """The select of a new form (a request's: Django's copy of the field and widget)."""
    return str(picker().fields["pick"].widget.render("pick", value))


def _chosen(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" selected>', html)


def test_the_options_are_built_again_once_when_the_key_changes_and_the_choice_is_kept() -> None:
    labels = _Labels()
    picker = _picker(labels)
    with translation.override("en"):
        first = _render(picker, "b")
        assert '<option value="b" selected>b v1</option>' in first
        assert labels.reads == 1
        # Every later form (a later request's) uses the same build.
        assert _render(picker, "b") == first
        assert "c v1</option>" in _render(picker, "c")
        assert labels.reads == 1

        labels.version = 2  # the labels and the key change together
        second = _render(picker, "b")
        assert '<option value="b" selected>b v2</option>' in second
        assert '<option value="a">a v2</option>' in second
        assert "v1" not in second and _chosen(second) == ["b"]
        assert labels.reads == 2  # one build for the new key, not one per render
        _render(picker, "a")
        assert labels.reads == 2

        labels.version = 1  # only the newest build is kept: the old key is built again
        assert '<option value="b" selected>b v1</option>' in _render(picker, "b")
        assert labels.reads == 3
        # A form's field shows the same build.
        bound = str(picker(initial={"pick": "b"})["pick"])
        assert '<option value="b" selected>b v1</option>' in bound
        assert labels.reads > 3 and "b v2" not in bound  # Django reads the choices too


def test_without_a_key_the_options_are_built_once_per_language() -> None:
    labels = _Labels()
    picker = _picker(labels, key=False)
    with translation.override("en"):
        _render(picker, "a")
        labels.version = 2
        assert "a v1" in _render(picker, "a")  # no key: the first build is kept
        assert labels.reads == 1
    with translation.override("de"):
        assert "a v2" in _render(picker, "a")
        assert labels.reads == 2


def test_the_zone_picker_names_the_offset_in_force_and_keeps_the_zone_chosen() -> None:
    from rehabit.booking.forms import ZoneField

    class Zones(forms.Form):
        tz = ZoneField(required=False)

    chosen = '<option value="America/New_York" selected>America/\u200bNew York (UTC{}:00)</option>'
    with translation.override("en"):
        with time_machine.travel(NEW_YORK_SPRING - timedelta(seconds=1), tick=False):
            before = str(Zones({"tz": "America/New_York"})["tz"])
        with time_machine.travel(NEW_YORK_SPRING, tick=False):
            after = str(Zones({"tz": "America/New_York"})["tz"])
            # Exactly the markup of Django's own Select at that moment.
            plain = ZoneField(required=False, widget=forms.Select)
            assert after == plain.widget.render("tz", "America/New_York", {"id": "id_tz"})
    assert chosen.format(f"{MINUS}05") in before
    assert chosen.format(f"{MINUS}04") in after
    assert _chosen(before) == _chosen(after) == ["America/New_York"]
    assert '<option value="Asia/Kolkata">Asia/\u200bKolkata (UTC+05:30)</option>' in after
    assert len(re.findall("<option ", after)) == len(re.findall("<option ", before)) > 400


@pytest.mark.django_db  # the booking search lists the languages therapists speak
def test_every_zone_picker_is_marked_so_its_long_labels_can_wrap() -> None:
    """rehabit.css lets a time zone's label wrap inside ``select.zone-select`` (phone walk:
    "America/New York (UTC−05:00)" cut at 320 px with the text at 200 %): every zone field
    carries the class, with its own LongSelect or any class it already had."""
    from rehabit.accounts.forms import ProfileForm
    from rehabit.booking.forms import SearchForm
    from rehabit.core.inputs import ZoneChoiceField

    class Picker(forms.Form):
        plain = ZoneChoiceField()
        styled = ZoneChoiceField(widget=forms.Select(attrs={"class": "wide"}))

    form = Picker()
    assert 'class="zone-select"' in str(form["plain"])
    assert 'class="wide zone-select"' in str(form["styled"])
    assert 'class="zone-select"' in str(ProfileForm()["time_zone"])
    assert 'class="zone-select"' in str(SearchForm()["tz"])

"""The page for something sent with a character that cannot be stored (a NUL byte pasted
into the pain diary) speaks to the patient plainly: no field names ("entry_date",
"pain_now", "activity"), a sentence that something typed could not be read and nothing was
saved, what was typed ready to copy, and a way back. The sentence naming the field is only
under "Details for support", closed. Django test client, real database, the time frozen
(the diary entry is dated)."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from rehabit.outcomes.models import DiaryEntry
from tests.outcomes.helpers import assessment_days_ago, diary_form

pytestmark = pytest.mark.django_db

CODE_NAMES = ("entry_date", "pain_now", "pain_worst", "activity", "csrfmiddlewaretoken")


def _shown(page: str) -> str:
    """What the page shows without opening anything: its main part, the closed details
    left out."""
    main = page[page.index("<h1>") :]
    return re.sub(r"<details.*?</details>", "", main, flags=re.S)


def test_a_nul_in_the_diary_shows_no_field_names_and_saves_nothing(client: Client) -> None:
    with time_machine.travel(timezone.now(), tick=False):
        assessment = assessment_days_ago(2)
        today = timezone.localdate()
        url = f"/care/{assessment.pk}/diary/"
        sent = diary_form(today - timedelta(days=1), 3, 5, activity="Walked\x00 the dog")
        response = client.post(url, sent)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    shown = _shown(page)
    for name in CODE_NAMES:
        assert not re.search(rf"\b{name}\b", shown), name
    assert "U+0000" not in shown
    assert "Something you typed could not be read, so nothing was saved." in shown
    assert "Walked the dog</textarea>" in shown  # ready to copy, without the NUL
    assert f'href="{url}"' in shown and ">Go back</a>" in shown
    # Support can still see which field and which character, once the details are opened.
    details = re.search(r"<details class=\"hint input-details\">.*?</details>", page, flags=re.S)
    assert details is not None and "“activity” contains a character" in details.group()
    assert "<details open" not in page
    assert not DiaryEntry.objects.exists()


def test_every_label_on_the_page_is_plain(client: Client) -> None:
    assessment = assessment_days_ago(1)
    response = client.post(
        f"/care/{assessment.pk}/diary/",
        diary_form(timezone.localdate(), 2, 4, activity="Stairs\x00"),
    )
    labels = re.findall(r"<label[^>]*>(.*?)</label>", response.content.decode(), flags=re.S)
    assert labels and all(label.startswith("What you typed, part ") for label in labels)

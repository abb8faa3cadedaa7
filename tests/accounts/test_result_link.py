"""The result page's "Create an account to keep it private" is a link to sign-up that
brings the person back to their result, which sign-up attaches to the account."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from rehabit.assessments.models import Assessment
from tests.accounts.helpers import PASSWORD, assessment_for
from tests.accounts.test_claims import anonymous_assessment

pytestmark = pytest.mark.django_db


def test_the_result_links_to_sign_up_and_sign_up_keeps_the_result() -> None:
    client = Client()
    assessment_id = anonymous_assessment(client)
    page = client.get(f"/assessment/result/{assessment_id}/").content.decode()
    link = re.search(
        r'<a class="button" href="([^"]+)">Create an account to keep it private</a>', page
    )
    assert link, "the sentence must be a link"
    url = html.unescape(link.group(1))
    assert url == f"/account/signup/?next=/assessment/result/{assessment_id}/"
    assert f'href="/account/login/?next=/assessment/result/{assessment_id}/"' in page
    assert client.get(url).status_code == 200
    client.post(
        url,
        {
            "email": "kept@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
        },
    )
    owner = get_user_model().objects.get(email="kept@example.org")
    assert Assessment.objects.get(pk=assessment_id).owner == owner


def test_a_result_opened_elsewhere_does_not_offer_a_sign_up_that_could_not_keep_it() -> None:
    assessment = assessment_for(None)  # made in another browser: this session does not list it
    page = Client().get(f"/assessment/result/{assessment.pk}/").content.decode()
    assert "Create an account to keep it private" not in page
    assert "from the browser where you did the check" in page

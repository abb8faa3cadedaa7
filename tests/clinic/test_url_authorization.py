"""Every clinic page and endpoint about one patient, walked as each kind of visitor: only
those the rule allows get through; another therapist, another patient, a therapist with
the relationship but without the patient's consent and anonymous visitors are refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.clinic.support import Clinic
from tests.clinic.url_rules import RELATION, RelationRule
from tests.security.url_rules import RULES

pytestmark = pytest.mark.django_db

DENIED = {403, 404}
RELATION_KEYS = sorted(k for k, r in RULES.items() if r.kind == RELATION)


def _client(clinic: Clinic, who: str) -> Client:
    return Client() if who == "anonymous" else clinic.client(who)


def _call(client: Client, rule: RelationRule, url: str, clinic: Clinic) -> Any:
    data = rule.data(clinic) if rule.data is not None else {}
    if rule.method == "get":
        return client.get(url)
    if url.startswith("/api/"):
        return getattr(client, rule.method)(url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


def _refused(response: Any, who: str) -> bool:
    if response.status_code in DENIED:
        return True
    return who == "anonymous" and (
        response.status_code == 302 and "/account/login/" in response["Location"]
    )


def test_every_relation_rule_is_walked() -> None:
    assert len(RELATION_KEYS) >= 10
    assert all(isinstance(RULES[k], RelationRule) for k in RELATION_KEYS)


@pytest.mark.parametrize("key", RELATION_KEYS)
def test_only_the_allowed_get_through(key: str, clinic: Clinic) -> None:
    rule = RULES[key]
    assert isinstance(rule, RelationRule) and rule.build is not None
    url = rule.build(clinic)
    for who in rule.refused_visitors():
        response = _call(_client(clinic, who), rule, url, clinic)
        assert _refused(response, who), f"{key} {url} as {who}: {response.status_code}"
    for who in rule.allowed:
        response = _call(_client(clinic, who), rule, url, clinic)
        assert response.status_code not in DENIED | {401, 405}, (
            f"{key} {url} as {who}: {response.status_code}"
        )
        assert not (response.status_code == 302 and "/account/" in response["Location"])


def test_the_unshared_therapist_may_message_but_never_see_the_record(clinic: Clinic) -> None:
    """Messages need the appointment only; the program needs the share too."""
    unshared = clinic.client("unshared")
    response = unshared.post("/clinic/messages/", {"patient": clinic.patient.pk})
    assert response.status_code == 302 and "/clinic/messages/" in response["Location"]
    page = unshared.get(response["Location"])
    assert page.status_code == 200
    assert f"/clinic/patients/{clinic.patient.pk}/program/" not in page.content.decode()
    assert unshared.get(f"/clinic/patients/{clinic.patient.pk}/program/").status_code == 404


def test_lists_show_nothing_of_patients_not_related(clinic: Clinic) -> None:
    from rehabit.clinic.messaging import open_thread, send

    thread = open_thread(clinic.patient, therapist_id=clinic.therapist.pk)
    send(clinic.patient, thread, "Can we move Tuesday?")
    name = "Pat Clinic"
    for who in ("stranger", "unshared", "other_patient"):
        client = clinic.client(who)
        for url in ("/clinic/messages/", "/clinic/alerts/", "/api/v1/messages/threads",
                    "/api/v1/alerts", "/api/v1/attention"):  # fmt: skip
            body = client.get(url).content.decode()
            assert "Can we move Tuesday" not in body, f"{url} as {who}"
            if who != "unshared":  # the unshared therapist may write to the patient
                assert name not in body, f"{url} as {who}"

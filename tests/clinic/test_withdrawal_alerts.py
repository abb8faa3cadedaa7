"""An exercise a therapist prescribed is taken out of use: the therapist gets an alert for
each patient whose prescription is paused (with the reason, on the alerts page and in the
API) and an e-mail naming nobody; no one else does (SQLite and PostgreSQL)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client

from rehabit.accounts.consent import set_sharing
from rehabit.clinic.models import Alert
from rehabit.mail.models import OutgoingMessage
from tests.accounts.helpers import TOTP_SECRET, login, make_user
from tests.clinic.support import Clinic, make_clinic, queries_to_list_alerts

pytestmark = pytest.mark.django_db

REASON = "Paused while we check the pictures."
STAFF_PAGE = "/staff/exercises/"


@pytest.fixture
def clinic(db: Any) -> Clinic:
    return make_clinic()


def _prescribe_heel_dig(clinic: Clinic) -> None:
    url = f"/clinic/patients/{clinic.patient.pk}/program/"
    form = {"action": "save", "family": "hamstring_isometric", "exercise": "isometric_heel_dig",
            "rule": "automatic", "note": "", "reason": "Ready for the heel dig."}  # fmt: skip
    assert clinic.client("therapist").post(url, form).status_code == 302


@pytest.fixture
def administrator(db: Any) -> Any:
    return make_user("ada.admin@example.org", role="admin", name="Ada", totp_secret=TOTP_SECRET)


def _admin(user: Any) -> Client:
    return login(Client(), user, mfa=True)


def test_the_prescribing_therapist_is_told_and_nobody_else(
    clinic: Clinic, administrator: Any
) -> None:
    _prescribe_heel_dig(clinic)
    before = set(OutgoingMessage.objects.values_list("pk", flat=True))
    admin = _admin(administrator)
    taken = admin.post(
        STAFF_PAGE, {"action": "withdraw", "exercise": "isometric_heel_dig", "reason": REASON}
    )
    assert taken.status_code == 302 and taken["Location"] == STAFF_PAGE
    alert = Alert.objects.get()
    assert (alert.therapist, alert.patient, alert.kind, alert.urgency) == (
        clinic.therapist,
        clinic.patient,
        "exercise_paused",
        "soon",
    )
    assert alert.details == {"exercise_id": "isometric_heel_dig", "family": "hamstring_isometric"}
    # An e-mail to the therapist that names neither the patient nor the exercise.
    new = OutgoingMessage.objects.exclude(pk__in=before)
    assert [m.recipient for m in new] == [clinic.therapist.user]
    content = bytes(new.get().content).decode("utf-8", "replace")
    assert "out of use" in content
    for secret in ("heel", "Heel", "Pat Clinic", REASON[:20]):
        assert secret not in content, secret
    # The alerts page and the API say which exercise, why, and what it means.
    page = html.unescape(clinic.client("therapist").get("/clinic/alerts/").content.decode())
    assert "A prescribed exercise is out of use" in page and "Pat Clinic" in page
    assert "Lying heel dig" in page and REASON in page and "paused" in page
    listed = clinic.client("therapist").get("/api/v1/alerts").json()
    assert [a["kind"] for a in listed] == ["exercise_paused"]
    assert listed[0]["steps"][0]["name"] == "Lying heel dig"
    for other in ("unshared", "stranger"):
        assert clinic.client(other).get("/api/v1/alerts").json() == []
    # Brought back: the alert says the prescription applies again.
    admin.post(STAFF_PAGE, {"action": "restore", "exercise": "isometric_heel_dig"})
    again = clinic.client("therapist").get("/clinic/alerts/").content.decode()
    assert "It is back in use: your prescription of it applies again." in again
    assert Alert.objects.count() == 1


def test_no_alert_without_a_prescription_of_it_or_without_the_share(
    clinic: Clinic, administrator: Any
) -> None:
    admin = _admin(administrator)
    admin.post(
        STAFF_PAGE, {"action": "withdraw", "exercise": "isometric_heel_dig", "reason": REASON}
    )
    assert not Alert.objects.exists()  # nobody prescribed it
    admin.post(STAFF_PAGE, {"action": "restore", "exercise": "isometric_heel_dig"})
    _prescribe_heel_dig(clinic)
    set_sharing(clinic.patient, clinic.therapist.user, False, source="test")
    admin.post(
        STAFF_PAGE, {"action": "withdraw", "exercise": "isometric_heel_dig", "reason": REASON}
    )
    assert not Alert.objects.exists()  # the patient no longer shares their record


def test_the_alerts_cost_the_same_queries_with_one_paused_exercise_as_with_five(
    clinic: Clinic, administrator: Any
) -> None:
    # Found in review: each paused alert read the withdrawals again (and the patient's
    # profile, for the name), two queries more per alert on the page and in the API.
    _prescribe_heel_dig(clinic)
    admin = _admin(administrator)
    therapist = clinic.client("therapist")
    take_out = {"action": "withdraw", "exercise": "isometric_heel_dig", "reason": REASON}
    bring_back = {"action": "restore", "exercise": "isometric_heel_dig"}
    admin.post(STAFF_PAGE, take_out)
    counts = [queries_to_list_alerts(therapist)]
    for _again in range(4):  # each withdrawal alerts the prescriber once more
        admin.post(STAFF_PAGE, bring_back)
        admin.post(STAFF_PAGE, take_out)
    counts.append(queries_to_list_alerts(therapist))
    assert Alert.objects.filter(kind="exercise_paused").count() == 5
    assert counts[0] == counts[1], counts
    # Each alert still says what holds for the exercise now: paused, then back in use.
    listed = therapist.get("/api/v1/alerts").json()
    assert [a["steps"][0]["name"] for a in listed] == ["Lying heel dig"] * 5
    assert all(REASON in a["steps"][0]["text"] for a in listed)
    admin.post(STAFF_PAGE, bring_back)
    back = {a["steps"][0]["text"] for a in therapist.get("/api/v1/alerts").json()}
    assert back == {"It is back in use: your prescription of it applies again."}

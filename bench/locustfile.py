"""The whole patient journey for Locust, driven by ``bench/load.py`` (which starts the
nodes, makes the signed-in patients and reads the figures).

Each Locust user is one signed-in patient on one node (users are dealt to the nodes in
turn). One journey: the questionnaire, an assessment (POST), its plan, the bookable
therapists, one therapist's next 14 days of slots, and a booking of one of the first free
slots (``Idempotency-Key``, CSRF like the site's own pages). A 409 ``taken`` (another
patient was faster) is the booking rule working, counted apart, not a failure.

Bounded: every user stops after its share of journeys, the whole run after
``REHABIT_LOAD_JOURNEYS`` journeys or Locust's ``--run-time``, whichever comes first.
Only the addresses in ``REHABIT_LOAD_HOSTS`` are ever called, and load.py allows
loopback addresses only.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import gevent
from locust import HttpUser, events, task
from locust.exception import StopUser

SETTINGS = json.loads(Path(os.environ["REHABIT_LOAD_SETTINGS"]).read_text(encoding="utf-8"))
HOSTS: list[str] = SETTINGS["hosts"]
SESSIONS: list[str] = SETTINGS["sessions"]
ANSWERS: list[dict[str, Any]] = SETTINGS["answers"]
TODAY = date.fromisoformat(SETTINGS["today"])
JOURNEYS: int = SETTINGS["journeys"]
PER_PATIENT: int = SETTINGS["per_patient"]
CSRF = "c" * 32  # a CSRF secret the client chooses: cookie and header must match

_lock = threading.Lock()
_next_user = itertools.count()
_next_patient = itertools.count()
# journeys: started; booked/taken/refused: how the ones that reached the booking ended.
outcomes: dict[str, int] = {"journeys": 0, "booked": 0, "taken": 0, "refused": 0}


class Patient(HttpUser):
    host = HOSTS[0]
    wait_time = staticmethod(lambda: 0.0)  # closed loop: the next request when one ends

    def on_start(self) -> None:
        with _lock:
            self.number = next(_next_user)
        # Users are dealt to the nodes in turn.
        self.client.base_url = HOSTS[self.number % len(HOSTS)]
        self.client.cookies.set("csrftoken", CSRF)
        self.rng = random.Random(self.number)  # noqa: S311 - load shape, not security
        self._next_patient()

    def _next_patient(self) -> None:
        """Sign in as the next unused patient (each books at most PER_PATIENT sessions)."""
        with _lock:
            self.patient = next(_next_patient)
        if self.patient >= len(SESSIONS):
            raise StopUser
        self.client.cookies.set("sessionid", SESSIONS[self.patient])
        self.done = 0

    def _json(self, method: str, path: str, name: str, **kwargs: Any) -> Any:
        with self.client.request(method, path, name=name, catch_response=True, **kwargs) as r:
            if r.status_code >= 400 and not (name.startswith("POST /api/v1/appointments")):
                r.failure(f"{r.status_code}: {r.text[:200]}")
                return None
            r.success()
            return r

    @task
    def journey(self) -> None:
        with _lock:
            if outcomes["journeys"] >= JOURNEYS:
                # From a greenlet of its own: quit() stops every user, this one too.
                gevent.spawn(self.environment.runner.quit)
                raise StopUser
            outcomes["journeys"] += 1
        if self.done >= PER_PATIENT:
            self._next_patient()
        self.done += 1
        self._json("GET", "/api/v1/assessment/questionnaire", "GET questionnaire")
        answers = ANSWERS[(self.patient + self.done) % len(ANSWERS)]
        made = self._json(
            "POST",
            "/api/v1/assessments",
            "POST /api/v1/assessments",
            json={"answers": answers},
            headers={"X-CSRFToken": CSRF},
        )
        if made is None:
            return
        assessment = made.json()["id"]
        self._json(
            "GET", f"/api/v1/assessments/{assessment}/plan", "GET /api/v1/assessments/{id}/plan"
        )
        listed = self._json("GET", "/api/v1/therapists", "GET /api/v1/therapists")
        if listed is None or not listed.json():
            return
        therapists = listed.json()
        # A different therapist on each journey (at most 2 sessions with one therapist).
        therapist = therapists[(self.patient + self.done) % len(therapists)]
        window = f"start={TODAY}&end={TODAY + timedelta(days=14)}"
        found = self._json(
            "GET",
            f"/api/v1/therapists/{therapist['id']}/slots?{window}",
            "GET /api/v1/therapists/{id}/slots (14 days)",
        )
        if found is None or not found.json()["slots"]:
            return
        slot = self.rng.choice(found.json()["slots"][:20])
        booked = self._json(
            "POST",
            "/api/v1/appointments",
            "POST /api/v1/appointments",
            json={
                "therapist_id": therapist["id"],
                "session_type": slot["session_type"],
                "start": slot["start"],
            },
            headers={
                "X-CSRFToken": CSRF,
                "Idempotency-Key": f"load-{self.patient}-{self.done}",
            },
        )
        if booked is None:
            return
        with _lock:
            if booked.status_code == 201:
                outcomes["booked"] += 1
            elif booked.status_code == 409 and booked.json().get("code") == "taken":
                outcomes["taken"] += 1
            else:
                outcomes["refused"] += 1
                events.request.fire(
                    request_type="POST",
                    name="booking refused",
                    response_time=0,
                    response_length=0,
                    exception=RuntimeError(f"{booked.status_code}: {booked.text[:200]}"),
                )


@events.quitting.add_listener
def _write_outcomes(environment: Any, **_kwargs: Any) -> None:
    path = SETTINGS.get("outcomes_file")
    if path:
        Path(path).write_text(json.dumps(outcomes), encoding="utf-8")
